// Proposal tools (spec §1): the same public.request_proposal RPC the SPA calls — it quotes,
// records the proposal and queues its render job in one transaction under the caller's RLS —
// then the tool waits for the renderer and links the PDF (proposals bucket, 24 h).
import { type ToolContext, ToolError, type ToolOutcome, type ToolSpec } from '../types.ts';
import {
  ISO_DATE_SCHEMA,
  MONEY_SCHEMA,
  pendingJobNote,
  rpc,
  signedFile,
  waitForRenderJob,
} from './common.ts';

type Money = number | string;

interface SeparateItem {
  location: string;
  company?: string;
  start_dates: string[];
  durations: number[];
  net_rates: Money[];
  spots?: number;
  production_fee?: Money;
}

interface SeparateArgs {
  client_name: string;
  payment_terms?: string;
  currency?: string;
  proposals: SeparateItem[];
}

interface CombinedItem {
  location: string;
  company?: string;
  start_date: string;
  duration: number;
  spots?: number;
  production_fee?: Money;
}

interface CombinedArgs {
  client_name: string;
  payment_terms?: string;
  currency?: string;
  combined_net_rate: Money;
  proposals: CombinedItem[];
}

const COMMON_PROPERTIES = {
  client_name: { type: 'string', minLength: 1, maxLength: 200, description: 'The client.' },
  payment_terms: {
    type: 'string',
    minLength: 1,
    maxLength: 300,
    description: 'Default "100% upfront".',
  },
  currency: {
    type: 'string',
    enum: ['AED', 'USD', 'EUR', 'GBP'],
    description: 'Display currency; amounts are given in AED. Default AED.',
  },
} as const;

const LOCATION_PROPERTIES = {
  location: { type: 'string', minLength: 1, description: 'Location key (from the tools).' },
  company: { type: 'string', description: 'Company slug, only when the key exists twice.' },
  spots: { type: 'integer', minimum: 1, maximum: 20, description: 'Digital only; default 1.' },
  production_fee: {
    ...MONEY_SCHEMA,
    description: 'Static locations only: total production cost in AED (required for static).',
  },
} as const;

interface Quote {
  currency: { code: string };
  locations: {
    display_name: string;
    display_type: string;
    fee_label: string;
    fee: { display: string };
    options: {
      start_date: string;
      end_date: string;
      duration_weeks: number;
      net_rate?: { display: string };
      total?: { display: string };
    }[];
  }[];
  package: { total: { display: string } } | null;
  totals: { subtotal: { display: string }; vat: { display: string }; total: { display: string } };
  valid_until: string;
}

/** The part of the quote the model needs to talk about the proposal. */
function quoteSummary(quote: Quote) {
  return {
    currency: quote.currency.code,
    locations: quote.locations.map((l) => ({
      name: l.display_name,
      type: l.display_type,
      [l.fee_label.replace(/:$/, '').toLowerCase().replace(/\W+/g, '_')]: l.fee.display,
      options: l.options.map((o) => ({
        start: o.start_date,
        end: o.end_date,
        weeks: o.duration_weeks,
        ...(o.net_rate ? { net_rate: o.net_rate.display } : {}),
        ...(o.total ? { total_incl_vat: o.total.display } : {}),
      })),
    })),
    ...(quote.package ? { package_total_incl_vat: quote.package.total.display } : {}),
    totals: {
      subtotal: quote.totals.subtotal.display,
      vat: quote.totals.vat.display,
      total: quote.totals.total.display,
    },
    valid_until: quote.valid_until,
  };
}

async function requestAndDeliver(
  ctx: ToolContext,
  request: Record<string, unknown>,
  label: string,
): Promise<ToolOutcome> {
  await ctx.status(`Building the ${label}…`);
  const queued = await rpc<{ proposal_id: string; job_id: string; quote: Quote }>(
    ctx.db,
    'request_proposal',
    { request },
    'requesting the proposal',
  );
  const base = { proposal_id: queued.proposal_id, quote: quoteSummary(queued.quote) };
  const wait = await waitForRenderJob(ctx, queued.job_id, label);
  if (wait.state === 'failed') {
    return {
      ok: false,
      error: {
        code: 'render_failed',
        message: `The ${label} was recorded but rendering failed: ${
          wait.job.error ?? 'unknown error'
        }`,
      },
      summary: `${label} failed to render`,
    };
  }
  if (wait.state === 'pending') {
    return {
      ok: true,
      data: { ...base, status: 'pending', note: pendingJobNote(wait, label) },
      summary: `${label} queued — not rendered yet`,
    };
  }
  const pdfPath = wait.job.result?.pdf_path;
  if (typeof pdfPath !== 'string') {
    throw new ToolError('render_failed', `the ${label} job finished without a PDF`);
  }
  const title = `${label} for ${request.client_name}`;
  const files = [await signedFile(ctx.db, 'proposals', pdfPath, title)];
  // The editable deck beside the PDF: sales people adjust slides before sending.
  const pptxPath = wait.job.result?.pptx_path;
  if (typeof pptxPath === 'string') {
    files.push(await signedFile(ctx.db, 'proposals', pptxPath, `${title} (editable deck)`));
  }
  return {
    ok: true,
    data: { ...base, status: 'ready', file: files[0].filename, files: files.map((f) => f.filename) },
    summary: `${label} ready`,
    files,
  };
}

const separateProposals: ToolSpec<SeparateArgs> = {
  name: 'get_separate_proposals',
  description:
    'Create a proposal PDF pricing each location on its own, with one or more duration options ' +
    'per location (each duration has its own net rate).',
  parameters: {
    type: 'object',
    required: ['client_name', 'proposals'],
    properties: {
      ...COMMON_PROPERTIES,
      proposals: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        items: {
          type: 'object',
          required: ['location', 'start_dates', 'durations', 'net_rates'],
          properties: {
            ...LOCATION_PROPERTIES,
            start_dates: {
              type: 'array',
              minItems: 1,
              maxItems: 10,
              items: ISO_DATE_SCHEMA,
              description: 'One date for all durations, or one per duration.',
            },
            durations: {
              type: 'array',
              minItems: 1,
              maxItems: 10,
              items: { type: 'integer', minimum: 1, maximum: 104 },
              description: 'Durations in weeks.',
            },
            net_rates: {
              type: 'array',
              minItems: 1,
              maxItems: 10,
              items: MONEY_SCHEMA,
              description: 'Net rate in AED for each duration, same order.',
            },
          },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  },
  permission: 'sales:proposals:create',
  workflow: 'proposal_generation',
  run(ctx, args) {
    const items = args.proposals.map((item, i) => {
      if (item.durations.length !== item.net_rates.length) {
        throw new ToolError(
          'invalid_arguments',
          `proposals[${i}]: ${item.durations.length} duration(s) but ${item.net_rates.length} net rate(s)`,
          'Give one net rate per duration.',
        );
      }
      if (item.start_dates.length !== 1 && item.start_dates.length !== item.durations.length) {
        throw new ToolError(
          'invalid_arguments',
          `proposals[${i}]: give one start date for all durations or one per duration`,
        );
      }
      return {
        location: item.location,
        ...(item.company ? { company: item.company } : {}),
        spots: item.spots ?? 1,
        production_fee: item.production_fee ?? null,
        options: item.durations.map((weeks, j) => ({
          start_date: item.start_dates[item.start_dates.length === 1 ? 0 : j],
          duration_weeks: weeks,
          net_rate: item.net_rates[j],
        })),
      };
    });
    return requestAndDeliver(ctx, {
      proposal_type: 'separate',
      client_name: args.client_name,
      payment_terms: args.payment_terms ?? '100% upfront',
      currency: args.currency ?? 'AED',
      items,
    }, 'proposal');
  },
};

const combinedProposal: ToolSpec<CombinedArgs> = {
  name: 'get_combined_proposal',
  description:
    'Create a package proposal PDF: two or more locations sold together for one combined net ' +
    'rate, each with one start date and duration.',
  parameters: {
    type: 'object',
    required: ['client_name', 'combined_net_rate', 'proposals'],
    properties: {
      ...COMMON_PROPERTIES,
      combined_net_rate: { ...MONEY_SCHEMA, description: 'Total net rate of the package, AED.' },
      proposals: {
        type: 'array',
        minItems: 2,
        maxItems: 50,
        items: {
          type: 'object',
          required: ['location', 'start_date', 'duration'],
          properties: {
            ...LOCATION_PROPERTIES,
            start_date: ISO_DATE_SCHEMA,
            duration: { type: 'integer', minimum: 1, maximum: 104, description: 'Weeks.' },
          },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  },
  permission: 'sales:proposals:create',
  workflow: 'proposal_generation',
  run(ctx, args) {
    return requestAndDeliver(ctx, {
      proposal_type: 'combined',
      client_name: args.client_name,
      payment_terms: args.payment_terms ?? '100% upfront',
      currency: args.currency ?? 'AED',
      combined_net_rate: args.combined_net_rate,
      items: args.proposals.map((item) => ({
        location: item.location,
        ...(item.company ? { company: item.company } : {}),
        spots: item.spots ?? 1,
        production_fee: item.production_fee ?? null,
        options: [{ start_date: item.start_date, duration_weeks: item.duration }],
      })),
    }, 'combined proposal');
  },
};

export const proposalTools: ToolSpec[] = [separateProposals, combinedProposal];
