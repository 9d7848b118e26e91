// The analytics database: events, kept apart from the application's data.
import { defineModel, fields } from 'fastedgy';

export const PageView = defineModel('PageView', {
  tablename: 'page_views',
  fields: {
    path: fields.CharField({ maxLength: 500 }),
    account_id: fields.BigIntegerField({ null: true, index: true }),
  },
});
