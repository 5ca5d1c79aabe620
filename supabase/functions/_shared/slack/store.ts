// What the Slack functions ask the database, all through service-role-only SQL functions
// (migrations 20261122090000…092000): claim a delivery once, resolve a Slack member to a
// platform user, act as that user on a booking order (the SQL runs the web app's own workflow
// functions under the user's identity), and read/record notification deliveries.
//
// Two transports for the same calls:
//   PostgresSlackStore  a small pool on SUPABASE_DB_URL (a default secret of every edge
//                       function): one round trip per call. The acknowledgement path (the
//                       dedupe claim) must stay far below Slack's 3 s even when a burst of
//                       events arrives; through the REST API a burst of 100 claims queues
//                       behind the API's own connection pool (see the P6 bench).
//   SupabaseSlackStore  the same functions as PostgREST RPCs with the service role key, for
//                       deployments without a database URL.
// The interface also lets handler tests run with an in-memory double.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';

/** A booking-order action from Slack, named as in public.slack_act. */
export type BookingOrderAction =
  | 'coordinator_approve'
  | 'coordinator_reject'
  | 'hos_approve'
  | 'hos_reject'
  | 'cancel';

export type SlackIdentity =
  | { status: 'linked'; slack_user_id: string; user_id: string; name: string; email: string }
  | { status: 'inactive'; slack_user_id: string; user_id: string; name: string; email: string }
  | { status: 'not_linked'; slack_user_id: string };

export interface ActResult {
  dry_run: boolean;
  action: BookingOrderAction;
  actor: { user_id: string; name: string };
  booking_order?: Record<string, any>;
}

export interface SlackNotification {
  id: string;
  kind: 'booking_order_to_review' | 'booking_order_status' | 'booking_order_approved';
  title: string;
  body: string;
  data: Record<string, unknown>;
  delivered_at: string | null;
  slack_ts: string | null;
  recipient: { user_id: string; name: string; slack_user_id: string | null; is_active: boolean };
  booking_order:
    | {
      id: string;
      company: string;
      stage: string;
      status: string;
      bo_ref: string | null;
      client: string | null;
      bo_number: string | null;
    }
    | null;
  action_stage: 'coordinator' | 'hos' | null;
  actions: Array<'approve' | 'reject' | 'cancel'>;
}

/** A refusal or failure reported by the database (SQLSTATE in `code`). */
export class DatabaseError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly detail?: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export interface SlackStore {
  /** True the first time a key is seen; false for retries and duplicates. */
  claim(key: string, kind: string): Promise<boolean>;
  release(key: string): Promise<void>;
  identity(slackUserId: string): Promise<SlackIdentity>;
  /** Runs (or with dryRun only checks) an action as the linked user; throws DatabaseError. */
  act(
    slackUserId: string,
    action: BookingOrderAction,
    bookingOrderId: string,
    reason?: string | null,
    dryRun?: boolean,
  ): Promise<ActResult>;
  notification(id: string): Promise<SlackNotification>;
  recordDelivery(
    id: string,
    delivery: { channel?: string; ts?: string; error?: string },
  ): Promise<void>;
  webhookSecret(): Promise<string | null>;
  /**
   * The delivered to-review DMs of an order from events before `beforeEventId`, each with its
   * recipient's current actions (public.slack_booking_order_messages).
   */
  bookingOrderMessages(
    bookingOrderId: string,
    beforeEventId: number,
  ): Promise<SlackMessageOfOrder[]>;
}

/** A DM already posted about a booking order, with the actions its recipient has now. */
export type SlackMessageOfOrder = SlackNotification & { slack_channel: string };

/** SUPABASE_DB_URL → PostgresSlackStore, else the REST store with the service role key. */
export function slackStoreFromEnv(
  env: { get(name: string): string | undefined } = Deno.env,
): SlackStore {
  const dbUrl = env.get('SUPABASE_DB_URL');
  if (dbUrl) {
    const store = new PostgresSlackStore(dbUrl);
    store.warmUp();
    return store;
  }
  const url = env.get('SUPABASE_URL');
  const key = env.get('SUPABASE_SERVICE_ROLE_KEY');
  if (!url || !key) {
    throw new Error('SUPABASE_DB_URL, or SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY, must be set');
  }
  return new SupabaseSlackStore(url, key);
}

const CLIENT_OPTIONS = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
};

export class SupabaseSlackStore implements SlackStore {
  readonly db: SupabaseClient;

  constructor(supabaseUrl: string, serviceRoleKey: string) {
    this.db = createClient(supabaseUrl, serviceRoleKey, CLIENT_OPTIONS);
  }

  private async rpc<T>(name: string, args: Record<string, unknown>): Promise<T> {
    const { data, error } = await this.db.rpc(name, args);
    if (error) {
      throw new DatabaseError(
        error.code ?? 'XX000',
        error.message,
        error.details ?? undefined,
        error.hint ?? undefined,
      );
    }
    return data as T;
  }

  claim(key: string, kind: string): Promise<boolean> {
    return this.rpc<boolean>('slack_claim_event', { event_id: key, kind });
  }

  async release(key: string): Promise<void> {
    await this.rpc('slack_release_event', { event_id: key });
  }

  identity(slackUserId: string): Promise<SlackIdentity> {
    return this.rpc<SlackIdentity>('slack_identity', { slack_user_id: slackUserId });
  }

  act(
    slackUserId: string,
    action: BookingOrderAction,
    bookingOrderId: string,
    reason: string | null = null,
    dryRun = false,
  ): Promise<ActResult> {
    return this.rpc<ActResult>('slack_act', {
      slack_user_id: slackUserId,
      action,
      booking_order_id: bookingOrderId,
      reason,
      dry_run: dryRun,
    });
  }

  notification(id: string): Promise<SlackNotification> {
    return this.rpc<SlackNotification>('slack_notification', { notification_id: id });
  }

  async recordDelivery(
    id: string,
    delivery: { channel?: string; ts?: string; error?: string },
  ): Promise<void> {
    await this.rpc('slack_record_delivery', {
      notification_id: id,
      channel: delivery.channel ?? null,
      ts: delivery.ts ?? null,
      error: delivery.error ?? null,
    });
  }

  webhookSecret(): Promise<string | null> {
    return this.rpc<string | null>('notifications_webhook_secret', {});
  }

  bookingOrderMessages(
    bookingOrderId: string,
    beforeEventId: number,
  ): Promise<SlackMessageOfOrder[]> {
    return this.rpc<SlackMessageOfOrder[]>('slack_booking_order_messages', {
      booking_order_id: bookingOrderId,
      before_event_id: beforeEventId,
    });
  }
}

export class PostgresSlackStore implements SlackStore {
  // Claims (the acknowledgement path) get their own connections, so a burst of background
  // work — identity lookups, actions — never makes an acknowledgement wait.
  private readonly claims: pg.Pool;
  private readonly work: pg.Pool;

  constructor(connectionString: string, sizes = { claims: 4, work: 6 }) {
    const pool = (max: number, name: string) => {
      const p = new pg.Pool({
        connectionString,
        max,
        application_name: name,
        idleTimeoutMillis: 30_000,
      });
      // An idle connection the server closed must not take the process down.
      p.on('error', (e: Error) => console.error(`${name}: idle connection failed`, e.message));
      return p;
    };
    this.claims = pool(sizes.claims, 'slack-claims');
    this.work = pool(sizes.work, 'slack-work');
  }

  /**
   * Opens the claim connections now rather than inside the first burst of events (opening a
   * connection costs more than a claim). Failures are only logged: calls connect on demand.
   */
  warmUp(): void {
    const connections = Array.from(
      { length: this.claims.options.max ?? 1 },
      () => this.claims.connect(),
    );
    void Promise.allSettled(connections).then((results) => {
      for (const r of results) {
        if (r.status === 'fulfilled') r.value.release();
        else console.error('slack store: warm-up failed', (r.reason as Error).message);
      }
    });
  }

  private async call<T>(sql: string, params: unknown[], pool = this.work): Promise<T> {
    try {
      const { rows } = await pool.query(sql, params);
      return rows[0]?.v as T;
    } catch (e) {
      const err = e as { code?: string; message: string; detail?: string; hint?: string };
      if (typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code)) {
        throw new DatabaseError(err.code, err.message, err.detail, err.hint);
      }
      throw e;
    }
  }

  claim(key: string, kind: string): Promise<boolean> {
    return this.call<boolean>(
      'select public.slack_claim_event($1, $2) as v',
      [key, kind],
      this.claims,
    );
  }

  async release(key: string): Promise<void> {
    await this.call('select public.slack_release_event($1) as v', [key]);
  }

  identity(slackUserId: string): Promise<SlackIdentity> {
    return this.call<SlackIdentity>('select public.slack_identity($1) as v', [slackUserId]);
  }

  act(
    slackUserId: string,
    action: BookingOrderAction,
    bookingOrderId: string,
    reason: string | null = null,
    dryRun = false,
  ): Promise<ActResult> {
    return this.call<ActResult>('select public.slack_act($1, $2, $3::uuid, $4, $5) as v', [
      slackUserId,
      action,
      bookingOrderId,
      reason,
      dryRun,
    ]);
  }

  notification(id: string): Promise<SlackNotification> {
    return this.call<SlackNotification>('select public.slack_notification($1::uuid) as v', [id]);
  }

  async recordDelivery(
    id: string,
    delivery: { channel?: string; ts?: string; error?: string },
  ): Promise<void> {
    await this.call('select public.slack_record_delivery($1::uuid, $2, $3, $4) as v', [
      id,
      delivery.channel ?? null,
      delivery.ts ?? null,
      delivery.error ?? null,
    ]);
  }

  webhookSecret(): Promise<string | null> {
    return this.call<string | null>('select public.notifications_webhook_secret() as v', []);
  }

  bookingOrderMessages(
    bookingOrderId: string,
    beforeEventId: number,
  ): Promise<SlackMessageOfOrder[]> {
    return this.call<SlackMessageOfOrder[]>(
      'select public.slack_booking_order_messages($1::uuid, $2::bigint) as v',
      [bookingOrderId, beforeEventId],
    );
  }

  async end(): Promise<void> {
    await Promise.all([this.claims.end(), this.work.end()]);
  }
}
