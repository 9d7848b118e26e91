// The example project (examples/blog) whose history is the repository's migrations/.
import { defineConfig } from 'fastedgy';

export default defineConfig({
  models: './examples/blog/models.ts',
  migrations: './migrations',
  databaseUrl: process.env.DATABASE_URL, // absent -> the embedded database under .fastedgy/
});
