// The coordinator's edit form (no stack needed): percentages become SQL's fractions by moving
// the decimal point in the text (no floating point), the patch carries only what changed
// (locations as the full list), and SQL's 22023 messages are mapped back to their control.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldOfError, formFromFields, fractionToPercent, patchFromForm, percentToFraction, shiftDecimal } from '../src/domains/bookingOrders/input.ts';

const stored = {
  bo_number: 'HMZ-0417', bo_date: '2026-11-12', client: 'Emaar', agency: null, brand_campaign: 'Launch', category: null,
  asset: ['dubai_gateway'], payment_terms: '60 days PDC', sales_person: 'Karim Saleh', currency: 'AED', commission_pct: null,
  sla_pct: 0.1, municipality_fee: 3400, production_upload_fee: 5000, net_pre_vat: 348400.5, vat_value: null, gross_amount: null, notes: null,
  locations: [{ name: 'The Dubai Gateway', asset: 'dubai_gateway', start_date: '2027-01-01', end_date: '2027-01-28', campaign_duration: '4 weeks', net_amount: 250000 }],
};

describe('booking-order edit form (no stack needed)', () => {
  it('converts percentages and fractions exactly', () => {
    assert.equal(percentToFraction('12.5'), '0.125');
    assert.equal(percentToFraction('5 %'), '0.05');
    assert.equal(percentToFraction('100'), '1');
    assert.equal(percentToFraction('0.07'), '0.0007');
    assert.equal(percentToFraction(''), null);
    assert.throws(() => percentToFraction('ten'), /a percentage/);
    assert.equal(fractionToPercent(0.1), '10');
    assert.equal(fractionToPercent(0.125), '12.5');
    assert.equal(fractionToPercent('0.0005'), '0.05');
    assert.equal(fractionToPercent(null), '');
    assert.equal(shiftDecimal('0.29', 2), '29', 'no 28.999999999999996');
  });

  it('sends only the changed fields, locations as the whole new list', () => {
    const original = formFromFields(stored);
    assert.deepEqual(patchFromForm(original, original), {});
    const form = { ...original, sla_pct: '5', payment_terms: ' 90 days PDC ', agency: '', net_pre_vat: '348,400.50' };
    assert.deepEqual(patchFromForm(form, original), { payment_terms: '90 days PDC', sla_pct: '0.05', net_pre_vat: '348,400.50' });
    const moved = { ...original, locations: [{ ...original.locations[0], net_amount: '260,000' }, { ...original.locations[0], key: 'x', name: 'Second' }] };
    const patch = patchFromForm(moved, original);
    assert.deepEqual(Object.keys(patch), ['locations']);
    assert.deepEqual((patch.locations as { net_amount: string }[]).map((l) => l.net_amount), ['260,000', '250000']);
    assert.deepEqual(patchFromForm({ ...original, asset: 'a, b ,, c', notes: 'hello' }, original), { notes: 'hello', asset: ['a', 'b', 'c'] });
  });

  it('maps SQL messages to the control they are about', () => {
    assert.equal(fieldOfError('sla_pct: must be a fraction from 0 to 1 (10 % is 0.10), got 1.5'), 'sla_pct');
    assert.equal(fieldOfError('locations[1].net_amount: "abc" is not an amount'), 'locations.1.net_amount');
    assert.equal(fieldOfError('locations[0]: end_date 2027-01-01 is before start_date 2027-02-01'), 'locations.0');
    assert.equal(fieldOfError('patch: nothing to change'), null);
    assert.equal(fieldOfError('only a coordinator of backlite_dubai can edit'), null);
  });
});
