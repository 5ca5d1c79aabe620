-- Currencies and money formatting: the rate table, who may change it, conversions with 2-dp
-- rounding, thousands separators, and whole-dirham half-up display for proposals (§1.4, §1.5).
begin;
select plan(36);

create function pg_temp.sign_in(_email text) returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims', (select json_build_object('sub', u.id, 'role', 'authenticated')::text
                                            from pg_temp.demo_user u where u.email = _email), true);
  perform set_config('role', 'authenticated', true);
end
$$;
create temp table demo_user on commit drop as select id, email from auth.users where email like '%@mmg.demo';
grant select on demo_user to authenticated;

-- The table.
select results_eq(
  $$ select code, symbol, symbol_position, decimals::int, aed_per_unit from public.currencies order by code $$,
  $$ values ('AED', 'AED', 'suffix', 2, 1.0), ('EUR', '€', 'prefix', 2, 3.97),
            ('GBP', '£', 'prefix', 2, 4.62), ('USD', '$', 'prefix', 2, 3.6725) $$,
  'the four supported currencies with their AED rates');
select throws_ok(
  $$ insert into public.currencies (code, name, symbol, symbol_position, aed_per_unit) values ('USD', 'x', 'x', 'prefix', 2) $$,
  '23505', null, 'a currency code exists once');
select throws_ok(
  $$ update public.currencies set aed_per_unit = 2 where code = 'AED' $$,
  '23514', null, 'AED stays the base at 1.0');
select throws_ok(
  $$ delete from public.currencies where code = 'AED' $$,
  '22023', 'AED is the base currency and cannot be removed or renamed',
  'the base currency cannot be removed');

-- Thousands separators and rounding, in one place.
select is(private.format_amount(0, 0), '0', 'zero');
select is(private.format_amount(999, 0), '999', 'no separator under a thousand');
select is(private.format_amount(1000, 0), '1,000', 'a thousand');
select is(private.format_amount(1316196, 0), '1,316,196', 'millions');
select is(private.format_amount(1234567.891, 2), '1,234,567.89', 'two decimals');
select is(private.format_amount(123456789012.5, 2), '123,456,789,012.50', 'large amounts keep every digit');
select is(private.format_amount(-1234.5, 0), '-1,235', 'negative amounts round away from zero and keep the sign');

-- Proposal money objects.
select is(
  private.proposal_money(5174.5, private.currency('AED')),
  '{"aed": "5174.50", "amount": "5175", "display": "AED 5,175"}'::jsonb,
  'AED 5174.5 shows as AED 5,175: whole dirhams, half-up (the original''s banker''s rounding showed 5,174)');
select is(
  private.proposal_money(5175.5, private.currency('AED')) ->> 'display', 'AED 5,176',
  'AED 5175.5 shows as AED 5,176');
select is(
  private.proposal_money(5174.49, private.currency('AED')) ->> 'display', 'AED 5,174',
  'below the half rounds down');
select is(
  private.proposal_money(1316196, private.currency('USD')),
  '{"aed": "1316196.00", "amount": "358392.38", "display": "$358,392.38"}'::jsonb,
  'USD: round(aed / 3.6725, 2), prefix symbol glued');
select is(
  private.proposal_money(1316196, private.currency('EUR')) ->> 'display', '€331,535.52',
  'EUR: 1316196 / 3.97 = 331535.516… → €331,535.52');
select is(
  private.proposal_money(1316196, private.currency('GBP')) ->> 'display', '£284,890.91',
  'GBP: 1316196 / 4.62 = 284890.909… → £284,890.91');
select is(
  private.proposal_money(520, private.currency('USD')) ->> 'amount', '141.59',
  'the municipality fee in USD');
select is(
  private.proposal_money(0, private.currency('GBP')) ->> 'display', '£0.00',
  'zero keeps its decimals');

-- Conversions and generic formatting as a signed-in user.
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select is((select count(*)::int from public.currencies), 4, 'signed-in people read the currencies');
select is(public.convert_currency(100, 'AED', 'USD'), 27.23, 'AED → USD: 27.2294… → 27.23');
select is(public.convert_currency(100, 'AED', 'EUR'), 25.19, 'AED → EUR: 25.1889… → 25.19');
select is(public.convert_currency(100, 'AED', 'GBP'), 21.65, 'AED → GBP: 21.6450… → 21.65');
select is(public.convert_currency(100, 'USD', 'AED'), 367.25, 'USD → AED');
select is(public.convert_currency(100, 'USD', 'EUR'), 92.51, 'USD → EUR through AED: 367.25 / 3.97 = 92.506… → 92.51');
select is(public.convert_currency(1.005, 'USD', 'USD'), 1.01, 'same currency: only rounded, half-up');
select is(public.convert_currency(10, 'usd', 'gbp'), 7.95, 'codes are case-insensitive');
select is(public.format_currency(12345, 'AED'), '12,345.00 AED', 'suffix symbols follow a space');
select is(public.format_currency(29597.28, 'USD'), '$29,597.28', 'prefix symbols are glued');
select throws_ok(
  $$ select public.convert_currency(1, 'AED', 'SAR') $$,
  '22023', 'unsupported currency "SAR"; supported: AED, EUR, GBP, USD',
  'an unsupported currency is an error listing the supported ones, never a silent AED');

-- Only administrators change rates.
update public.currencies set aed_per_unit = 9 where code = 'USD';
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select is((select aed_per_unit from public.currencies where code = 'USD'), 3.6725, 'a sales user cannot change a rate');
select throws_ok(
  $$ insert into public.currencies (code, name, symbol, symbol_position, aed_per_unit) values ('SAR', 'Saudi Riyal', 'SAR', 'suffix', 0.98) $$,
  '42501', null, 'a sales user cannot add a currency');
select pg_temp.sign_in('admin@mmg.demo');
select lives_ok(
  $$ insert into public.currencies (code, name, symbol, symbol_position, aed_per_unit) values ('SAR', 'Saudi Riyal', 'SAR', 'suffix', 0.98) $$,
  'an administrator adds a currency');
update public.currencies set aed_per_unit = 3.67 where code = 'USD';
select is((select aed_per_unit from public.currencies where code = 'USD'), 3.67, 'an administrator changes a rate');
select is(public.format_currency(1234.5, 'SAR'), '1,234.50 SAR', 'a new currency formats at once');

reset role;
set local role anon;
select throws_ok($$ select * from public.currencies $$, '42501', null, 'anonymous callers read nothing');

select * from finish();
rollback;
