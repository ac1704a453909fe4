// Usernames (SECURITY.md "Look-alike names"): RFC 8265's UsernameCaseMapped profile of the PRECIS
// IdentifierClass (RFC 8264), no invisible or default-ignorable code point, one script (Unicode
// TS #39 "highly restrictive"), and a sentence that says what to change.
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkUsername, usernameKey, usernameSkeleton } from '../../../../server/modules/accounts/username.js';
import { UNICODE_SCRIPTS } from '../../../../server/modules/accounts/unicode-scripts.js';
import { describeEachBackend, queryRows } from '../../../support/backends.js';
import { PASSWORD, startTestServer } from '../../../support/test-server.js';

function refusal(name: string): string {
  const checked = checkUsername(name);
  if (checked.ok) throw new Error(`"${name}" was accepted`);
  return checked.message;
}

describe('checkUsername', () => {
  it('accepts names people use, in any one script, with digits and . _ @ + -', () => {
    for (const name of [
      'alice',
      'Alice.Smith',
      'bob_99',
      'carol+work@example.com',
      'Ａｌｉｃｅ', // full-width: mapped to its narrow form (RFC 8265 §3.3.2 rule 1)
      'Дмитрий',
      'Ελένη',
      'محمد',
      'יעל',
      'नमस्ते', // Devanagari: combining vowel signs and a virama are letters' parts (Mn, Mc)
      'สมชาย',
      '山田太郎',
      '山田たろう', // Han + Hiragana: Japanese, one of TS #39's allowed mixtures
      'Tokyo東京',
      '김철수',
      'straße',
      'müller',
    ]) {
      const checked = checkUsername(name);
      expect(checked.ok, `${name}: ${checked.ok ? '' : checked.message}`).toBe(true);
    }
  });

  it('refuses the look-alikes of the review: fillers, invisible characters, mixed scripts', () => {
    expect(refusal('admin\u3164')).toMatch(/invisible character \(U\+3164\)/);
    expect(refusal('\u115Fadmin')).toMatch(/invisible character \(U\+115F\)/);
    expect(refusal('ad\u200Bmin')).toMatch(/invisible character \(U\+200B\)/);
    expect(refusal('admin\u202E')).toMatch(/invisible character \(U\+202E\)/);
    expect(refusal('\u0430dmin')).toMatch(/mixes letters of the Cyrillic and Latin scripts/); // Cyrillic а
    expect(refusal('pаypal')).toMatch(/Cyrillic and Latin|Latin and Cyrillic/);
    expect(refusal('ΑΒΓabc')).toMatch(/Greek and Latin|Latin and Greek/);
    expect(refusal('admin\u2800')).toMatch(/only letters, digits/); // braille blank
  });

  it('refuses compatibility characters, symbols, spaces and controls, naming the character', () => {
    expect(refusal('ﬁle')).toMatch(/“ﬁ” \(U\+FB01\)/); // a ligature: NFKC would make it "fi"
    expect(refusal('x²y')).toMatch(/U\+00B2/);
    expect(refusal('a b c')).toMatch(/U\+0020/);
    expect(refusal('a\tb')).toMatch(/U\+0009/);
    expect(refusal('love❤you')).toMatch(/U\+2764/);
    expect(refusal('\u0301abc')).toMatch(/begin with a letter or a digit/);
  });

  it('checks length in characters after preparation, and well-formed text', () => {
    expect(refusal('ab')).toMatch(/3 to 64/);
    expect(refusal('a'.repeat(65))).toMatch(/3 to 64/);
    expect(checkUsername('😀'.repeat(3)).ok).toBe(false);
    expect(refusal('abc\ud800')).toMatch(/not valid text/);
  });

  it('applies the bidi rule to right-to-left names (RFC 5893 §2)', () => {
    expect(checkUsername('محمد1').ok).toBe(true);
    expect(refusal('1محمد')).toMatch(/right-to-left/);
    expect(refusal('محمد.')).toMatch(/right-to-left/);
  });

  it('gives a key that is the name after RFC 8265 preparation: the same as the key existing accounts have', () => {
    const checked = checkUsername('ＡＬＩＣＥ');
    expect(checked.ok && checked.key).toBe('alice');
    for (const name of ['Alice', 'Дмитрий', 'STRASSE', 'İstanbul', 'ΟΔΟΣ', '山田太郎', 'नमस्ते']) {
      const prepared = checkUsername(name);
      if (prepared.ok) expect(prepared.key, name).toBe(usernameKey(name));
    }
  });

  it('gives look-alike names one skeleton (Unicode TS #39 §4), and different names different ones', () => {
    const skeleton = (name: string) => usernameSkeleton(usernameKey(name));
    for (const [name, lookAlike] of [
      ['admin', 'admın'], // dotless ı
      ['admin', 'admİn'], // a capital İ: "i̇" once lower-cased, which shows as "i"
      ['admin', 'adrnin'], // "rn" for "m"
      ['scope', 'ѕсоре'], // every letter Cyrillic
      ['paypal', 'paypa1'],
      ['bob', 'b0b'],
      ['Ilker', 'İlker'],
    ]) {
      expect(skeleton(lookAlike!), `${name} / ${lookAlike}`).toBe(skeleton(name!));
    }
    for (const [name, other] of [
      ['alice', 'alicia'],
      ['user12', 'user21'],
      ['ilker', 'ilke'],
    ]) {
      expect(skeleton(other!)).not.toBe(skeleton(name!));
    }
  });

  it('knows a script for every letter, mark and digit of the Unicode version the engine has', () => {
    const any = new RegExp(UNICODE_SCRIPTS.map((code) => `\\p{Script=${code}}`).join('|'), 'u');
    const missing: string[] = [];
    for (let codePoint = 0; codePoint < 0x110000; codePoint += 1) {
      if (codePoint >= 0xd800 && codePoint < 0xe000) continue;
      const character = String.fromCodePoint(codePoint);
      if (/[\p{L}\p{M}\p{N}]/u.test(character) && !any.test(character)) missing.push(codePoint.toString(16));
    }
    expect(missing, 'add these scripts to unicode-scripts.ts').toEqual([]);
  });
});

describeEachBackend('registration and sign-in with the rules', (backend) => {
  it('refuses a name that looks like a taken one, and fills in what older accounts look like at start', async () => {
    const server = await startTestServer({ backend });
    let restarted: Awaited<ReturnType<typeof startTestServer>> | undefined;
    try {
      const client = server.client();
      expect((await client.post('/api/v1/accounts', { username: 'admin', password: PASSWORD })).status).toBe(201);
      for (const lookAlike of ['admın', 'admİn', 'adrnin', 'ADMIN']) {
        const answer = await client.post('/api/v1/accounts', { username: lookAlike, password: PASSWORD });
        expect(answer.status, lookAlike).toBe(409);
        expect(answer.json.error.code).toBe('username_taken');
      }
      expect((await client.post('/api/v1/accounts', { username: 'İlker', password: PASSWORD })).status).toBe(201);
      // An account from before skeletons were kept: the next start gives it one.
      await queryRows(
        server.server.storage,
        "INSERT INTO users (username, username_key, password_hash, created_at) VALUES ('scope', 'scope', 'x', 0)",
      );
      await server.close({ keepData: true });
      restarted = await startTestServer({ dataDir: server.dataDir, database: server.database });
      const cyrillic = await restarted.client().post('/api/v1/accounts', { username: 'ѕсоре', password: PASSWORD });
      expect(cyrillic.status).toBe(409);
      expect(cyrillic.json.error.message).toMatch(/looks the same/);
    } finally {
      await (restarted ?? server).close();
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  });

  it('of look-alikes registering at once, exactly one gets the name', async () => {
    const server = await startTestServer({ backend });
    try {
      const names = ['admin', 'admın', 'admİn', 'adrnin'];
      const answers = await Promise.all(
        [...names, ...names].map((username) =>
          server.client().post('/api/v1/accounts', { username, password: PASSWORD }),
        ),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      expect(answers.every((answer) => answer.status === 201 || answer.json.error.code === 'username_taken')).toBe(
        true,
      );
    } finally {
      await server.close();
    }
  });

  it('refuses a look-alike with the sentence, and lets an account made under the old rules sign in', async () => {
    const server = await startTestServer({ backend });
    try {
      const client = server.client();
      expect((await client.post('/api/v1/accounts', { username: 'admin', password: PASSWORD })).status).toBe(201);
      for (const lookAlike of ['admin\u3164', '\u115Fadmin', '\u0430dmin']) {
        const answer = await client.post('/api/v1/accounts', { username: lookAlike, password: PASSWORD });
        expect(answer.status, lookAlike).toBe(400);
        expect(answer.json.error.code).toBe('invalid_username');
        expect(answer.json.error.message).toMatch(/\.$/);
      }
      // An account whose name the old rules allowed (a ligature, stored by its NFKC key) still signs in.
      const { storage } = server.server;
      const [admin] = await queryRows<{ password_hash: string }>(
        storage,
        "SELECT password_hash FROM users WHERE username_key = 'admin'",
      );
      await queryRows(
        storage,
        'INSERT INTO users (username, username_key, password_hash, created_at) VALUES (?, ?, ?, 0)',
        ['ﬁle', usernameKey('ﬁle'), admin!.password_hash],
      );
      expect((await client.post('/api/v1/session', { username: 'ﬁle', password: PASSWORD })).status).toBe(200);
      expect((await client.post('/api/v1/session', { username: 'FILE', password: PASSWORD })).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
