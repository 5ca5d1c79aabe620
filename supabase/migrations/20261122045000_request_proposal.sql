/*
 * public.request_proposal(request jsonb): turn a quote into a proposal being generated
 * (contract §2). One call, one transaction: quote_proposal validates and prices the request,
 * then the proposal (status generating, totals in AED, data = the request), one item row per
 * location option, and a render job {proposal_id, quote} are written. The job's insert trigger
 * notifies the renderer. A request the quote rejects writes nothing.
 *
 * It runs as the caller (security invoker): the rows go through the same policies and guard
 * triggers as any API write, so a proposal is always the caller's own, in their companies.
 */

create or replace function public.request_proposal(request jsonb)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  _quote jsonb := public.quote_proposal(request);
  _company text := _quote #>> '{locations,0,company}';
  _proposal_id uuid;
  _job_id uuid;
begin
  insert into public.proposals (
    owner_id, company, client_name, proposal_type, currency, payment_terms, status,
    combined_net_rate, subtotal, vat_amount, total_amount, data)
  values (
    auth.uid(), _company, _quote ->> 'client_name', (_quote ->> 'proposal_type')::public.proposal_type,
    _quote #>> '{currency,code}', _quote ->> 'payment_terms', 'generating',
    (_quote #>> '{package,net_rate,aed}')::numeric,
    (_quote #>> '{totals,subtotal,aed}')::numeric,
    (_quote #>> '{totals,vat,aed}')::numeric,
    (_quote #>> '{totals,total,aed}')::numeric,
    request)
  returning id into _proposal_id;

  insert into public.proposal_items (
    proposal_id, position, option_no, location_key, location_company, display_name,
    start_date, duration_weeks, net_rate, upload_fee, production_fee, spots, data)
  select
    _proposal_id, l.position, o.option_no, l.location ->> 'location_key', l.location ->> 'company',
    l.location ->> 'display_name',
    (o.option ->> 'start_date')::date, (o.option ->> 'duration_weeks')::integer,
    (o.option #>> '{net_rate,aed}')::numeric,
    case when l.location ->> 'fee_label' = 'Upload Fee:' then (l.location #>> '{fee,aed}')::numeric end,
    case when l.location ->> 'fee_label' = 'Production Fee:' then (l.location #>> '{fee,aed}')::numeric end,
    (l.location ->> 'spots')::integer,
    pg_catalog.jsonb_build_object(
      'display_type', l.location ->> 'display_type',
      'description', l.location ->> 'description',
      'fee_label', l.location ->> 'fee_label',
      'end_date', o.option ->> 'end_date')
  from jsonb_array_elements(_quote -> 'locations') with ordinality as l (location, position)
  cross join lateral jsonb_array_elements(l.location -> 'options') with ordinality as o (option, option_no);

  insert into public.render_jobs (owner_id, requested_by, company, kind, payload)
  values (auth.uid(), auth.uid(), _company, 'proposal',
          pg_catalog.jsonb_build_object('proposal_id', _proposal_id, 'quote', _quote))
  returning id into _job_id;

  return pg_catalog.jsonb_build_object('proposal_id', _proposal_id, 'job_id', _job_id, 'quote', _quote);
end
$$;
comment on function public.request_proposal(jsonb) is
  'Quotes the request (see quote_proposal) and, in one transaction, records the proposal '
  '(status generating, AED totals), its items and a proposal render job. Returns '
  '{proposal_id, job_id, quote}. Errors as quote_proposal; nothing is written on error.';
revoke execute on function public.request_proposal(jsonb) from public, anon;
grant execute on function public.request_proposal(jsonb) to authenticated;
