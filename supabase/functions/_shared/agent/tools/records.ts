// Record tools: booking orders — listed under RLS, submitted into the approval workflow through
// public.create_booking_order (the same call the SPA makes) — and the AI cost summary (the
// caller's own calls; everyone's within RLS for holders of core:ai_costs:manage — the cost
// endpoint's cross-user leak of §4.8/§11.7 cannot happen: the filter is explicit and RLS
// applies underneath).
import { permits, ToolError, type ToolSpec } from '../types.ts';
import { ISO_DATE_SCHEMA, MONEY_SCHEMA, rpc, toolErrorFromDb } from './common.ts';

interface BookingOrderArgs {
  status?: string;
  company?: string;
  client?: string;
  limit?: number;
}

const listBookingOrders: ToolSpec<BookingOrderArgs> = {
  name: 'list_booking_orders',
  description: 'List booking orders the person can see, newest first, with their approval stage.',
  parameters: {
    type: 'object',
    properties: {
      status: {
        type: 'string',
        enum: [
          'draft',
          'pending',
          'editing',
          'hos_rejected',
          'approved',
          'cancelled',
          'superseded',
        ],
      },
      company: { type: 'string', description: 'Company slug.' },
      client: { type: 'string', maxLength: 100, description: 'Part of the client name.' },
      limit: { type: 'integer', minimum: 1, maximum: 50, description: 'Default 20.' },
    },
    additionalProperties: false,
  },
  permission: 'sales:booking_orders:read',
  async run(ctx, args) {
    let query = ctx.db.from('booking_orders').select(
      'id,bo_ref,bo_number,company,client_name,brand_campaign,currency,net_pre_vat,vat_amount,' +
        'gross_amount,stage,status,status_reason,needs_review,created_at',
    );
    if (args.status) query = query.eq('status', args.status);
    if (args.company) query = query.eq('company', args.company);
    if (args.client?.trim()) {
      query = query.ilike('client_name', `*${args.client.replace(/[*%,()]/g, ' ').trim()}*`);
    }
    const { data, error } = await query.order('created_at', { ascending: false })
      .limit(args.limit ?? 20);
    if (error) throw toolErrorFromDb(error, 'listing booking orders');
    return {
      ok: true,
      data: { count: data.length, booking_orders: data },
      summary: `${data.length} booking order${data.length === 1 ? '' : 's'}`,
    };
  },
};

interface CostArgs {
  start_date?: string;
  end_date?: string;
  everyone?: boolean;
}

interface CostRow {
  owner_id: string;
  call_type: string;
  workflow: string | null;
  model: string;
  total_tokens: number;
  total_cost: number | string;
  occurred_at: string;
}

const PAGE = 1000;
const MAX_ROWS = 20_000;

function addTo(
  groups: Record<string, { calls: number; tokens: number; cost: number }>,
  key: string,
  row: CostRow,
) {
  const group = groups[key] ??= { calls: 0, tokens: 0, cost: 0 };
  group.calls += 1;
  group.tokens += row.total_tokens;
  group.cost += Number(row.total_cost);
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

const costSummary: ToolSpec<CostArgs> = {
  name: 'cost_summary',
  description: "Summary of AI usage costs (USD): the person's own calls, or everyone's for cost " +
    'managers (everyone = true), optionally between two dates.',
  parameters: {
    type: 'object',
    properties: {
      start_date: ISO_DATE_SCHEMA,
      end_date: ISO_DATE_SCHEMA,
      everyone: { type: 'boolean', description: 'All users (cost managers only).' },
    },
    additionalProperties: false,
  },
  permission: 'sales:chat:use',
  async run(ctx, args) {
    const everyone = args.everyone === true;
    if (everyone && !permits(ctx.caller, 'core:ai_costs:manage')) {
      throw new ToolError('forbidden', "only cost managers can see everyone's AI costs");
    }
    const rows: CostRow[] = [];
    for (let from = 0; from < MAX_ROWS; from += PAGE) {
      let query = ctx.db.from('ai_costs')
        .select('owner_id,call_type,workflow,model,total_tokens,total_cost,occurred_at');
      if (!everyone) query = query.eq('owner_id', ctx.caller.userId);
      if (args.start_date) query = query.gte('occurred_at', `${args.start_date}T00:00:00+04:00`);
      if (args.end_date) query = query.lte('occurred_at', `${args.end_date}T23:59:59.999+04:00`);
      const { data, error } = await query.order('occurred_at', { ascending: false })
        .range(from, from + PAGE - 1);
      if (error) throw toolErrorFromDb(error, 'reading AI costs');
      rows.push(...data as CostRow[]);
      if (data.length < PAGE) break;
    }
    const byWorkflow = {}, byModel = {}, byCallType = {}, byUser = {};
    let cost = 0;
    let tokens = 0;
    for (const row of rows) {
      cost += Number(row.total_cost);
      tokens += row.total_tokens;
      addTo(byWorkflow, row.workflow ?? 'none', row);
      addTo(byModel, row.model, row);
      addTo(byCallType, row.call_type, row);
      if (everyone) addTo(byUser, row.owner_id, row);
    }
    const rounded = (groups: Record<string, { calls: number; tokens: number; cost: number }>) =>
      Object.fromEntries(
        Object.entries(groups).map(([k, g]) => [k, { ...g, cost: round6(g.cost) }]),
      );
    return {
      ok: true,
      data: {
        scope: everyone ? 'everyone' : 'you',
        period: { from: args.start_date ?? null, to: args.end_date ?? null },
        total_calls: rows.length,
        total_tokens: tokens,
        total_cost_usd: round6(cost),
        by_workflow: rounded(byWorkflow),
        by_model: rounded(byModel),
        by_call_type: rounded(byCallType),
        ...(everyone ? { by_user: rounded(byUser) } : {}),
        ...(rows.length >= MAX_ROWS
          ? { note: `only the newest ${MAX_ROWS} calls were counted` }
          : {}),
      },
      summary: `${rows.length} calls, $${round6(cost).toFixed(4)}`,
    };
  },
};

const TEXT = (maxLength: number, description?: string) => ({
  type: ['string', 'null'],
  maxLength,
  ...(description ? { description } : {}),
});
const BO_DATE = {
  type: ['string', 'null'],
  maxLength: 20,
  description: 'As printed (YYYY-MM-DD preferred; DD/MM/YYYY accepted).',
};
const BO_MONEY = { ...MONEY_SCHEMA, type: ['number', 'string', 'null'] };
const FRACTION = {
  type: ['number', 'null'],
  minimum: 0,
  maximum: 1,
  description: 'A fraction: 10 % is 0.10.',
};

interface SubmitArgs {
  company: string;
  source_file_id?: string;
  confirm: boolean;
  fields: Record<string, unknown>;
}

/** The 19 extracted fields of spec §3.2, as public.create_booking_order takes them. */
const submitBookingOrder: ToolSpec<SubmitArgs> = {
  name: 'submit_booking_order',
  description:
    "Submit a client's booking order that the person typed into the chat into the approval " +
    'workflow (coordinator → head of sales → finance); for an attached document use ' +
    'parse_booking_order. Show the fields to the person and call only after they confirmed. ' +
    'Amounts as given; figures are recalculated.',
  parameters: {
    type: 'object',
    required: ['company', 'fields', 'confirm'],
    properties: {
      company: { type: 'string', minLength: 2, description: 'Company slug the order is for.' },
      source_file_id: {
        type: 'string',
        pattern: '^[0-9a-fA-F-]{36}$',
        description: 'File id of the uploaded booking-order document.',
      },
      confirm: { type: 'boolean', description: 'true only after the person said yes.' },
      fields: {
        type: 'object',
        additionalProperties: false,
        properties: {
          bo_number: TEXT(100, "The client's own BO number."),
          bo_date: BO_DATE,
          client: TEXT(200, 'The buyer (never Backlite or Viola).'),
          agency: TEXT(200),
          brand_campaign: TEXT(200),
          category: TEXT(100),
          asset: { type: ['string', 'array', 'null'], items: { type: 'string' } },
          payment_terms: TEXT(500),
          sales_person: TEXT(200),
          currency: { type: ['string', 'null'], description: 'ISO code, default AED.' },
          commission_pct: FRACTION,
          sla_pct: FRACTION,
          municipality_fee: BO_MONEY,
          production_upload_fee: BO_MONEY,
          net_pre_vat: BO_MONEY,
          vat_value: BO_MONEY,
          gross_amount: BO_MONEY,
          notes: TEXT(2000),
          locations: {
            type: 'array',
            maxItems: 200,
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                name: TEXT(300),
                asset: TEXT(200),
                start_date: BO_DATE,
                end_date: BO_DATE,
                campaign_duration: TEXT(100),
                net_amount: BO_MONEY,
              },
            },
          },
        },
      },
    },
    additionalProperties: false,
  },
  permission: 'sales:booking_orders:create',
  workflow: 'bo_parsing',
  async run(ctx, args) {
    if (args.confirm !== true) {
      throw new ToolError(
        'confirmation_required',
        "submitting needs the person's explicit confirmation of the extracted fields",
        'Show them the fields, then call again with confirm = true.',
      );
    }
    const order = await rpc<Record<string, any>>(ctx.db, 'create_booking_order', {
      company: args.company,
      data: args.fields,
      source_document_id: args.source_file_id ?? null,
    }, 'submitting the booking order');
    return {
      ok: true,
      data: {
        booking_order_id: order.id,
        stage: order.stage,
        status: order.status,
        figures: order.display,
        warnings: order.warnings,
        missing_fields: order.missing_fields,
        needs_review: order.needs_review,
      },
      summary: `booking order submitted to the coordinator`,
    };
  },
};

export const recordTools: ToolSpec[] = [listBookingOrders, submitBookingOrder, costSummary];
