// Two databases, one revision history (README: "Several databases").
// Without URLs both are embedded databases under .fastedgy/<name>/;
// set DATABASE_URL_MAIN / DATABASE_URL_ANALYTICS to use servers instead.
import { defineConfig } from 'fastedgy';

export default defineConfig({
  migrations: './migrations',
  databases: {
    main: { models: './models.ts' },
    analytics: { models: './analytics.ts' },
  },
});
