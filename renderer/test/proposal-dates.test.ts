import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDateRange, formatLongDate, formatProposalDate, formatValidityDate, formatWeeks, ordinalSuffix, parseIsoDate } from '../src/proposal/dates.ts';

describe('proposal dates', () => {
  it('writes long dates without padding and with the right ordinal (§1.8)', () => {
    assert.equal(formatLongDate('2026-12-01'), '1st December 2026');
    assert.equal(formatLongDate('2025-11-05'), '5th November 2025');
    assert.equal(formatLongDate('2026-01-22'), '22nd January 2026');
    assert.equal(formatLongDate('2026-03-23'), '23rd March 2026');
    assert.equal(formatLongDate('2026-07-31'), '31st July 2026');
  });

  it('uses "th" for 11, 12 and 13 and every day not ending in 1, 2 or 3', () => {
    const expected: Record<number, string> = { 1: 'st', 2: 'nd', 3: 'rd', 4: 'th', 11: 'th', 12: 'th', 13: 'th', 20: 'th', 21: 'st', 22: 'nd', 23: 'rd', 30: 'th', 31: 'st' };
    for (const [day, suffix] of Object.entries(expected)) assert.equal(ordinalSuffix(Number(day)), suffix, `day ${day}`);
  });

  it('writes the validity date with a zero-padded day, "of" and a comma (§1.6)', () => {
    assert.equal(formatValidityDate('2026-12-22'), '22nd of December, 2026');
    assert.equal(formatValidityDate('2025-08-05'), '05th of August, 2025');
    assert.equal(formatValidityDate('2026-12-01'), '01st of December, 2026');
    assert.equal(formatValidityDate('2027-01-13'), '13th of January, 2027');
  });

  it('writes the proposal date as DD/MM/YYYY', () => {
    assert.equal(formatProposalDate('2026-11-22'), '22/11/2026');
    assert.equal(formatProposalDate('2027-02-03'), '03/02/2027');
  });

  it('joins a start and an end date, and counts weeks in the singular and plural', () => {
    assert.equal(formatDateRange('2026-12-01', '2026-12-29'), '1st December 2026 - 29th December 2026');
    assert.equal(formatWeeks(1), '1 Week');
    assert.equal(formatWeeks(4), '4 Weeks');
  });

  it('refuses anything but a real ISO calendar date', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '01/12/2026', '2026-1-5', '', '2026-12-01T00:00:00Z']) {
      assert.throws(() => parseIsoDate(bad), RangeError, bad);
    }
    assert.deepEqual(parseIsoDate('2028-02-29'), { year: 2028, month: 2, day: 29 });
  });
});
