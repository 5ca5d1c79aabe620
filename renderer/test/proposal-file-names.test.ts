import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientSlug, isoBasicTime, mockupObjectPath, proposalFileStem, proposalObjectPath } from '../src/proposal/file-names.ts';

const OWNER = '0f8fad5b-d9cb-469f-a165-70867728950e';
const AT = new Date('2026-11-22T10:15:30.789Z');

describe('output file names', () => {
  it('slugs ordinary client names to lower-case words joined by dashes', () => {
    assert.equal(clientSlug('Emirates NBD'), 'emirates-nbd');
    assert.equal(clientSlug('  ACME  Corp., Ltd.  '), 'acme-corp-ltd');
    assert.equal(clientSlug('Al-Futtaim_Group 2026'), 'al-futtaim-group-2026');
  });

  it('leaves no path separators or dots from hostile names', () => {
    assert.equal(clientSlug('../../etc'), 'etc');
    assert.equal(clientSlug('..\\..\\windows\\system32'), 'windows-system32');
    assert.equal(clientSlug('a/b/../c.pdf'), 'a-b-c-pdf');
    assert.equal(clientSlug('name\u0000with\nnul'), 'name-with-nul');
    assert.equal(clientSlug('<script>alert(1)</script>'), 'script-alert-1-script');
  });

  it('folds accents and drops other scripts; an empty result becomes "client"', () => {
    assert.equal(clientSlug('Café Société'), 'cafe-societe');
    assert.equal(clientSlug('Ｅｍｉｒａｔｅｓ'), 'emirates'); // full-width letters (NFKD)
    assert.equal(clientSlug('بنك دبي'), 'client');
    assert.equal(clientSlug('北京 Media'), 'media');
    assert.equal(clientSlug(''), 'client');
    assert.equal(clientSlug('   '), 'client');
    assert.equal(clientSlug('../..'), 'client');
  });

  it('caps the slug at 60 characters without a trailing dash', () => {
    const slug = clientSlug(`${'a'.repeat(59)} bcd`);
    assert.equal(slug, 'a'.repeat(59));
    assert.ok(clientSlug('x'.repeat(500)).length === 60);
    for (const name of ['a'.repeat(200), 'ab '.repeat(40), 'é'.repeat(100)]) {
      assert.match(clientSlug(name), /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(clientSlug(name).length <= 60);
    }
  });

  it('names a proposal <slug>_<ISO basic UTC time> under <owner>/<YYYY>/<MM>', () => {
    assert.equal(isoBasicTime(AT), '20261122T101530Z');
    assert.equal(proposalFileStem('Emirates NBD', AT), 'emirates-nbd_20261122T101530Z');
    assert.equal(proposalObjectPath(OWNER, '../../etc', AT, 'pdf'), `${OWNER}/2026/11/etc_20261122T101530Z.pdf`);
    assert.equal(proposalObjectPath(OWNER, '', AT, 'pptx'), `${OWNER}/2026/11/client_20261122T101530Z.pptx`);
  });

  it('names a mockup <owner>/<mockup>.jpg and refuses ids that are not UUIDs', () => {
    const mockup = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    assert.equal(mockupObjectPath(OWNER, mockup), `${OWNER}/${mockup}.jpg`);
    assert.throws(() => mockupObjectPath(OWNER, '../x'), RangeError);
    assert.throws(() => proposalObjectPath('..', 'x', AT, 'pdf'), RangeError);
  });
});
