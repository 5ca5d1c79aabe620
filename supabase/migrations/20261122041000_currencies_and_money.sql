/*
 * Currencies and money formatting (spec §1.4, §1.5, §11.16). All money is computed in AED as
 * `numeric` — never floats — and other currencies are display conversions only:
 *
 *   amount in X   = round(aed / X.aed_per_unit, X.decimals)     (2 dp for USD, EUR, GBP)
 *   display in X  = prefix symbol glued ("$29,597.28"), suffix symbol after a space
 *   proposal AED  = whole dirhams, half-up ("AED 5,175" for 5174.5 — Postgres round(numeric)
 *                   rounds halves away from zero, i.e. up for the non-negative amounts here;
 *                   the original's float banker's rounding printed "AED 5,174")
 *
 * Thousands separators are produced in exactly one place, private.format_amount. The rates
 * are a table (public.currencies) that every signed-in user reads and only administrators
 * change; an unknown code is an error naming the supported ones, never a silent AED fallback.
 */

create table public.currencies (
  code text primary key check (code ~ '^[A-Z]{3}$'),
  name text not null check (length(btrim(name)) between 1 and 60),
  symbol text not null check (length(symbol) between 1 and 8),
  symbol_position text not null check (symbol_position in ('prefix', 'suffix')),
  decimals smallint not null default 2 check (decimals between 0 and 4),
  aed_per_unit numeric not null check (aed_per_unit > 0 and aed_per_unit < 1000000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (code <> 'AED' or aed_per_unit = 1)
);
comment on table public.currencies is
  'Display currencies of proposals and booking orders. AED is the base: amounts are computed in '
  'AED and converted for display. Everyone signed in reads; administrators edit.';
comment on column public.currencies.code is 'ISO 4217 code, e.g. USD.';
comment on column public.currencies.name is 'Name shown in pickers, e.g. US Dollar.';
comment on column public.currencies.symbol is 'Symbol printed with amounts, e.g. $.';
comment on column public.currencies.symbol_position is 'prefix: glued before the amount ($1,234.00); suffix: after a space (1,234.00 AED).';
comment on column public.currencies.decimals is 'Decimal places of converted amounts.';
comment on column public.currencies.aed_per_unit is 'How many AED one unit is worth (static rate, no live feed). AED itself is 1.';
select private.comment_standard_columns('public.currencies');

insert into public.currencies (code, name, symbol, symbol_position, decimals, aed_per_unit) values
  ('AED', 'UAE Dirham', 'AED', 'suffix', 2, 1.0),
  ('USD', 'US Dollar', '$', 'prefix', 2, 3.6725),
  ('EUR', 'Euro', '€', 'prefix', 2, 3.97),
  ('GBP', 'Pound Sterling', '£', 'prefix', 2, 4.62);

alter table public.currencies enable row level security;
revoke all on public.currencies from anon;

create trigger currencies_touch_updated_at
  before update on public.currencies
  for each row execute function private.touch_updated_at();

create or replace function private.protect_base_currency()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.code = 'AED' and (tg_op = 'DELETE' or new.code <> 'AED') then
    raise exception 'AED is the base currency and cannot be removed or renamed' using errcode = '22023';
  end if;
  return coalesce(new, old);
end
$$;
comment on function private.protect_base_currency() is 'Trigger: the base currency AED stays in the table.';

create trigger currencies_protect_base
  before update or delete on public.currencies
  for each row execute function private.protect_base_currency();

create policy "signed-in people read currencies"
  on public.currencies for select to authenticated
  using (true);
create policy "administrators add currencies"
  on public.currencies for insert to authenticated
  with check ((select private.is_admin()));
create policy "administrators change currencies"
  on public.currencies for update to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));
create policy "administrators remove currencies"
  on public.currencies for delete to authenticated
  using ((select private.is_admin()));

-- A proposal is shown in a currency the table knows (rows so far only ever used AED).
alter table public.proposals
  add constraint proposals_currency_fkey foreign key (currency)
  references public.currencies (code) on update cascade on delete restrict;

-- ---------------------------------------------------------------------------------------------
-- Formatting

create or replace function private.format_amount(_amount numeric, _decimals integer)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  _rounded numeric;
  _digits text;
  _whole text;
begin
  if _amount is null then
    return null;
  end if;
  _rounded := pg_catalog.round(_amount, _decimals);
  _digits := pg_catalog.abs(_rounded)::text;
  _whole := pg_catalog.split_part(_digits, '.', 1);
  -- a comma after every digit that is followed by a multiple of three digits
  _whole := pg_catalog.regexp_replace(_whole, '(\d)(?=(\d{3})+$)', '\1,', 'g');
  return case when _rounded < 0 then '-' else '' end
    || _whole
    || case when _decimals > 0 then '.' || pg_catalog.split_part(_digits, '.', 2) else '' end;
end
$$;
comment on function private.format_amount(numeric, integer) is
  'THE number formatter: rounds half away from zero to the given decimals and adds thousands '
  'commas (1234567.5, 2 → 1,234,567.50). Every money display goes through it.';

create or replace function private.currency(_code text)
returns public.currencies
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _currency public.currencies;
begin
  select * into _currency from public.currencies c
  where c.code = pg_catalog.upper(pg_catalog.btrim(coalesce(_code, 'AED')));
  if not found then
    raise exception 'unsupported currency "%"; supported: %', _code,
      (select pg_catalog.string_agg(c.code, ', ' order by c.code) from public.currencies c)
      using errcode = '22023';
  end if;
  return _currency;
end
$$;
comment on function private.currency(text) is
  'The currency row for a code (case-insensitive; null = AED). Unknown codes raise 22023 listing the supported ones.';

create or replace function private.format_in_currency(_amount numeric, _currency public.currencies)
returns text
language sql
immutable
set search_path = ''
as $$
  select case when pg_catalog.round(_amount, _currency.decimals) < 0 then '-' else '' end
    || case _currency.symbol_position
         when 'prefix' then _currency.symbol || private.format_amount(pg_catalog.abs(_amount), _currency.decimals)
         else private.format_amount(pg_catalog.abs(_amount), _currency.decimals) || ' ' || _currency.symbol
       end
$$;
comment on function private.format_in_currency(numeric, public.currencies) is
  'Generic display of an amount already in the currency: $29,597.28, 12,345.00 AED.';

create or replace function private.proposal_money(_aed numeric, _currency public.currencies)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  _exact numeric := pg_catalog.round(_aed, 2);
  _amount numeric;
begin
  if _aed is null then
    return null;
  end if;
  if _currency.code = 'AED' then
    -- Proposals print the base currency in whole dirhams, half-up, with the code in front.
    _amount := pg_catalog.round(_exact, 0);
    return pg_catalog.jsonb_build_object(
      'aed', _exact::text, 'amount', _amount::text, 'display', 'AED ' || private.format_amount(_amount, 0));
  end if;
  _amount := pg_catalog.round(_exact / _currency.aed_per_unit, _currency.decimals);
  return pg_catalog.jsonb_build_object(
    'aed', _exact::text, 'amount', _amount::text, 'display', private.format_in_currency(_amount, _currency));
end
$$;
comment on function private.proposal_money(numeric, public.currencies) is
  'A proposal money object {aed, amount, display}: exact AED (2 dp), the amount in the display '
  'currency (AED: whole dirhams half-up; others: round(aed / aed_per_unit, decimals)) and its text.';

-- ---------------------------------------------------------------------------------------------
-- Public API

create or replace function public.convert_currency(amount numeric, from_currency text default 'AED', to_currency text default 'AED')
returns numeric
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _from public.currencies := private.currency(from_currency);
  _to public.currencies := private.currency(to_currency);
begin
  if amount is null then
    return null;
  end if;
  if _from.code = _to.code then
    return pg_catalog.round(amount, _to.decimals);
  end if;
  return pg_catalog.round(amount * _from.aed_per_unit / _to.aed_per_unit, _to.decimals);
end
$$;
comment on function public.convert_currency(numeric, text, text) is
  'Converts an amount between supported currencies through AED and rounds to the target''s '
  'decimals (half away from zero). Unsupported codes raise 22023.';
revoke execute on function public.convert_currency(numeric, text, text) from public, anon;
grant execute on function public.convert_currency(numeric, text, text) to authenticated, service_role;

create or replace function public.format_currency(amount numeric, currency text default 'AED')
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return private.format_in_currency(amount, private.currency(currency));
end
$$;
comment on function public.format_currency(numeric, text) is
  'Formats an amount given in that currency with its symbol, decimals and thousands commas '
  '($29,597.28, 12,345.00 AED) — the generic style of booking order messages.';
revoke execute on function public.format_currency(numeric, text) from public, anon;
grant execute on function public.format_currency(numeric, text) to authenticated, service_role;

revoke execute on all functions in schema private from public;
