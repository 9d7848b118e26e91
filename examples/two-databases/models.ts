// The application's own database.
import { defineEnum, defineModel, fields } from 'fastedgy';

export const Plan = defineEnum('Plan', ['free', 'pro']);

export const Account = defineModel('Account', {
  tablename: 'accounts',
  fields: {
    name: fields.CharField({ maxLength: 100 }),
    plan: fields.ChoiceField({ choices: Plan, default: 'free' }),
  },
});
