// Test-only changes to a running stack's database that Slack stack tests need, each returning
// the function that puts things back as they were (the stack is shared with other suites).
import type pg from 'pg';

export type Restore = () => Promise<void>;

/** Links demo users (by email) to Slack user ids; restoring brings back their old links. */
export async function linkSlackUsers(db: pg.Client, links: Record<string, string>): Promise<Restore> {
  const { rows: previous } = await db.query<{ id: string; slack_user_id: string | null }>(
    'select id, slack_user_id from public.users where email = any($1)',
    [Object.keys(links)],
  );
  for (const [email, slackId] of Object.entries(links)) {
    await db.query('update public.users set slack_user_id = $1 where email = $2', [slackId, email]);
  }
  return async () => {
    for (const u of previous) {
      await db.query('update public.users set slack_user_id = $1 where id = $2', [u.slack_user_id, u.id]);
    }
  };
}

const SECRET_KEY = 'notifications_webhook_secret';

/** Sets the secret slack-notify expects from the database's webhook (a known value to call it with). */
export async function useWebhookSecret(db: pg.Client, secret: string): Promise<Restore> {
  const { rows: [row] } = await db.query<{ value: string }>(
    'select value from private.app_settings where key = $1',
    [SECRET_KEY],
  );
  await db.query(
    `insert into private.app_settings (key, value) values ($1, $2)
     on conflict (key) do update set value = excluded.value`,
    [SECRET_KEY, secret],
  );
  return async () => {
    if (row) {
      await db.query('update private.app_settings set value = $1 where key = $2', [row.value, SECRET_KEY]);
    } else {
      await db.query('delete from private.app_settings where key = $1', [SECRET_KEY]);
    }
  };
}
