// An in-memory SlackStore for handler tests: claims in a Set, identities in a Map, and booking
// orders in a miniature of the SQL state machine (who may act at which stage) — enough to show
// what the handlers do with each answer. The real rules are tested against Postgres (pgTAP and
// stack_test.ts).
import {
  type ActResult,
  type BookingOrderAction,
  DatabaseError,
  type SlackIdentity,
  type SlackMessageOfOrder,
  type SlackNotification,
  type SlackStore,
} from '../store.ts';

export interface MemoryOrder {
  id: string;
  stage: 'coordinator' | 'hos' | 'finance';
  status: string;
  reason?: string;
}

export class MemorySlackStore implements SlackStore {
  readonly claims = new Set<string>();
  readonly people = new Map<string, SlackIdentity>();
  /** Slack member id → stages they may act at. */
  readonly roles = new Map<string, Array<'coordinator' | 'hos'>>();
  readonly orders = new Map<string, MemoryOrder>();
  readonly notifications = new Map<string, SlackNotification>();
  readonly deliveries: Array<{ id: string; channel?: string; ts?: string; error?: string }> = [];
  readonly acts: Array<
    {
      slackUserId: string;
      action: BookingOrderAction;
      id: string;
      reason: string | null;
      dryRun: boolean;
    }
  > = [];
  secret: string | null = null;
  /** Milliseconds every act() takes. */
  actDelayMs = 0;

  link(
    slackUserId: string,
    name: string,
    stages: Array<'coordinator' | 'hos'> = [],
    active = true,
  ): void {
    this.people.set(slackUserId, {
      status: active ? 'linked' : 'inactive',
      slack_user_id: slackUserId,
      user_id: crypto.randomUUID(),
      name,
      email: `${name.toLowerCase().replace(/\s+/g, '.')}@example.test`,
    });
    this.roles.set(slackUserId, stages);
  }

  claim(key: string): Promise<boolean> {
    if (this.claims.has(key)) return Promise.resolve(false);
    this.claims.add(key);
    return Promise.resolve(true);
  }

  release(key: string): Promise<void> {
    this.claims.delete(key);
    return Promise.resolve();
  }

  identity(slackUserId: string): Promise<SlackIdentity> {
    return Promise.resolve(
      this.people.get(slackUserId) ?? { status: 'not_linked', slack_user_id: slackUserId },
    );
  }

  async act(
    slackUserId: string,
    action: BookingOrderAction,
    id: string,
    reason: string | null = null,
    dryRun = false,
  ): Promise<ActResult> {
    this.acts.push({ slackUserId, action, id, reason, dryRun });
    if (this.actDelayMs) await new Promise((r) => setTimeout(r, this.actDelayMs));
    const who = this.people.get(slackUserId);
    if (!who || who.status === 'not_linked') {
      throw new DatabaseError(
        '42501',
        `Slack user ${slackUserId} is not linked to a platform user`,
        'slack_not_linked',
      );
    }
    if (who.status === 'inactive') throw new DatabaseError('42501', 'deactivated', 'user_inactive');
    const order = this.orders.get(id);
    if (!order) throw new DatabaseError('P0002', `booking order ${id} not found`);
    const stage = action.startsWith('hos')
      ? 'hos'
      : action === 'cancel'
      ? order.stage
      : 'coordinator';
    if (!this.roles.get(slackUserId)?.includes(stage as 'coordinator' | 'hos')) {
      throw new DatabaseError(
        '42501',
        `only a ${
          stage === 'hos' ? 'head of sales' : 'coordinator'
        } may act on booking order ${id}`,
      );
    }
    if (order.stage !== stage || order.status !== 'pending') {
      throw new DatabaseError(
        '55000',
        `booking order ${id} is no longer pending at the ${stage} stage`,
      );
    }
    if (!dryRun && /reject|cancel/.test(action) && !(reason ?? '').trim()) {
      throw new DatabaseError('22023', 'reason: a reason is required');
    }
    const result: ActResult = {
      dry_run: dryRun,
      action,
      actor: { user_id: who.user_id, name: who.name },
    };
    if (dryRun) return result;
    const next: Record<BookingOrderAction, [MemoryOrder['stage'], string]> = {
      coordinator_approve: ['hos', 'pending'],
      coordinator_reject: ['coordinator', 'editing'],
      hos_approve: ['finance', 'approved'],
      hos_reject: ['coordinator', 'hos_rejected'],
      cancel: [order.stage, 'cancelled'],
    };
    [order.stage, order.status] = next[action];
    order.reason = reason ?? undefined;
    return {
      ...result,
      booking_order: {
        id,
        stage: order.stage,
        status: order.status,
        bo_ref: action === 'hos_approve' ? 'BO-2027-0001' : null,
      },
    };
  }

  notification(id: string): Promise<SlackNotification> {
    const n = this.notifications.get(id);
    if (!n) return Promise.reject(new DatabaseError('P0002', `notification ${id} not found`));
    return Promise.resolve(n);
  }

  recordDelivery(
    id: string,
    delivery: { channel?: string; ts?: string; error?: string },
  ): Promise<void> {
    this.deliveries.push({ id, ...delivery });
    const n = this.notifications.get(id);
    if (n && delivery.ts) n.slack_ts = delivery.ts;
    return Promise.resolve();
  }

  webhookSecret(): Promise<string | null> {
    return Promise.resolve(this.secret);
  }

  /** Delivered to-review notifications of the order from earlier events (data.event_id). */
  bookingOrderMessages(
    bookingOrderId: string,
    beforeEventId: number,
  ): Promise<SlackMessageOfOrder[]> {
    const delivered = this.deliveries.filter((d) => d.ts && d.channel);
    return Promise.resolve(
      [...this.notifications.values()]
        .filter((n) =>
          n.kind === 'booking_order_to_review' && n.booking_order?.id === bookingOrderId &&
          Number(n.data.event_id) < beforeEventId && delivered.some((d) => d.id === n.id)
        )
        .map((n) => ({ ...n, slack_channel: delivered.find((d) => d.id === n.id)!.channel! })),
    );
  }
}
