// Usernames (SECURITY.md "Look-alike names"). A new name must pass RFC 8265's UsernameCaseMapped
// profile of the PRECIS IdentifierClass (RFC 8264), a little stricter, and be written in one
// script (Unicode TS #39 §5.2, "highly restrictive"), so that no name can pass for another on
// screen: no invisible or default-ignorable code point, no compatibility character, no letters of
// two scripts. Names are shown as typed (width-mapped, NFC) and compared by their key, the
// profile's output, in which letter case and full-width forms disappear.
import { createRequire } from 'node:module';
import { USERNAME_MAX_CHARACTERS, USERNAME_MIN_CHARACTERS } from '../../../contract/values.js';
import { codePointLabel } from '../../http/api-error.js';
import { RIGHT_TO_LEFT_SCRIPTS, UNICODE_SCRIPTS } from './unicode-scripts.js';

export { USERNAME_MAX_CHARACTERS, USERNAME_MIN_CHARACTERS };

// unhomoglyph parses its 100 kB confusables table when loaded: loaded on the first skeleton
// (a registration, a rename) rather than at every start (docs/performance.md "Server ready").
const require = createRequire(import.meta.url);
let unhomoglyph: ((text: string) => string) | undefined;

export type UsernameCheck = { ok: true; display: string; key: string } | { ok: false; message: string };

/**
 * The comparison key of a name: what accounts are stored and found by. NFKC then lower case, as
 * every account so far was stored; for a name checkUsername() accepts this is exactly RFC 8265's
 * output (width mapping, case mapping, NFC), which the tests check, so old and new names meet.
 */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/**
 * What a name looks like: Unicode TS #39 §4's skeleton of its key (NFD, each character to its
 * prototype in confusables.txt, by the unhomoglyph package, NFD again), lower-cased so that a
 * prototype in capitals ("0" → "O") meets its small letter. First, a combining dot above after a
 * soft-dotted letter goes: "i̇" (a lower-cased "İ") shows as "i". Two names with one skeleton look
 * alike: "admin", "admın", "admİn", "аdmin" (Cyrillic а), "adrnin".
 */
export function usernameSkeleton(key: string): string {
  const shown = key.normalize('NFD').replace(/(\p{Soft_Dotted}\p{Mn}*?)\u0307/gu, '$1');
  unhomoglyph ??= require('unhomoglyph') as (text: string) => string;
  return unhomoglyph(shown).normalize('NFD').toLowerCase();
}

/** Whether registration would accept the name. */
export function isValidUsername(username: string): boolean {
  return checkUsername(username).ok;
}

/** RFC 8265 §3.3 preparation and enforcement, TS #39's script rule, and the sentence when not. */
export function checkUsername(raw: string): UsernameCheck {
  if (!raw.isWellFormed()) return refuse('That username holds characters that are not valid text. Type it again.');
  // §3.3.2 rule 1, width mapping: full-width and half-width forms become their ordinary ones.
  const display = raw.replace(/[\u3000\uff00-\uffef]/gu, (character) => character.normalize('NFKC')).normalize('NFC');
  // Rule 3, case mapping (toLowerCase), then rule 4, NFC.
  const key = display.toLowerCase().normalize('NFC');
  const characters = [...key];
  if (characters.length < USERNAME_MIN_CHARACTERS || characters.length > USERNAME_MAX_CHARACTERS) {
    return refuse(
      `A username is ${USERNAME_MIN_CHARACTERS} to ${USERNAME_MAX_CHARACTERS} characters long. Choose one of that length.`,
    );
  }
  for (const character of characters) {
    const problem = characterProblem(character);
    if (problem) return refuse(problem);
  }
  if (!/^[\p{L}\p{Nd}]/u.test(key)) {
    return refuse('A username must begin with a letter or a digit. Remove what comes before it.');
  }
  const scriptProblem = mixedScripts(characters);
  if (scriptProblem) return refuse(scriptProblem);
  const bidiProblem = bidiRule(characters);
  if (bidiProblem) return refuse(bidiProblem);
  return { ok: true, display, key };
}

function refuse(message: string): UsernameCheck {
  return { ok: false, message };
}

/** RFC 5892 §2.6 exceptions that are PVALID although their category is not a letter or digit. */
const PVALID_EXCEPTIONS = new Set(['\u00df', '\u03c2', '\u06fd', '\u06fe', '\u0f0b', '\u3007']);
/** …and those that are DISALLOWED although they are letters (tatweel, kashida-like marks). */
const DISALLOWED_EXCEPTIONS = new Set([
  '\u0640',
  '\u07fa',
  '\u302e',
  '\u302f',
  '\u3031',
  '\u3032',
  '\u3033',
  '\u3034',
  '\u3035',
  '\u303b',
]);
/**
 * CONTEXTJ and CONTEXTO code points (RFC 5892 appendix A): allowed by PRECIS in some contexts;
 * refused here everywhere (middle dots, keraia, geresh), which is stricter, as RFC 8264 §5.2 lets a
 * profile be. The joiners (U+200C, U+200D) are default-ignorable and refused as invisible.
 */
const CONTEXTUAL = /[\u00b7\u0375\u05f3\u05f4\u30fb]/u;
/** Hangul_Syllable_Type L, V, T: conjoining jamo, which RFC 8264 §9.9 disallows. */
const OLD_HANGUL_JAMO = /[\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff]/u;

/** Null when the code point is allowed in a username; else the sentence. */
function characterProblem(character: string): string | null {
  if (/^[a-z0-9._@+-]$/u.test(character) || PVALID_EXCEPTIONS.has(character)) return null;
  const name = codePointLabel(character);
  if (
    /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Noncharacter_Code_Point}]/u.test(character) ||
    OLD_HANGUL_JAMO.test(character)
  ) {
    return `That username holds an invisible character (${name}), which would let it pass for another name. Remove it.`;
  }
  const shown = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(character) ? `“${character}” (${name})` : name;
  // IdentifierClass letters and digits (§9.1 LetterDigits), not compatibility forms (§9.17).
  const letterOrDigit = /^[\p{Ll}\p{Lu}\p{Lo}\p{Lm}\p{Mn}\p{Mc}\p{Nd}]$/u.test(character);
  if (
    !letterOrDigit ||
    character.normalize('NFKC') !== character ||
    DISALLOWED_EXCEPTIONS.has(character) ||
    CONTEXTUAL.test(character)
  ) {
    return `A username can hold only letters, digits and the characters . _ @ + -, and ${shown} is none of these. Remove it.`;
  }
  return null;
}

// The tables below (some 170 Unicode property patterns, the script names) are built when a name
// first needs them: built at load they cost every start tens of milliseconds (docs/performance.md
// "Server ready").
let scriptPatterns: (readonly [string, RegExp])[] | undefined;
const scriptPatternTable = () =>
  (scriptPatterns ??= UNICODE_SCRIPTS.filter((code) => code !== 'Zyyy' && code !== 'Zinh').map(
    (code) => [code, new RegExp(`\\p{Script_Extensions=${code}}`, 'u')] as const,
  ));

/** TS #39 §5.1: a character's scripts, with Han, Hiragana, Katakana, Hangul and Bopomofo augmented. */
function scriptsOf(character: string): Set<string> | null {
  // Common and Inherited (digits, . _ @ + -, combining marks used by many scripts) go with any.
  if (/[\p{Script_Extensions=Zyyy}\p{Script_Extensions=Zinh}]/u.test(character)) return null;
  const scripts = new Set<string>(
    scriptPatternTable()
      .filter(([, pattern]) => pattern.test(character))
      .map(([code]) => code),
  );
  if (scripts.has('Hani')) ['Hanb', 'Jpan', 'Kore'].forEach((code) => scripts.add(code));
  if (scripts.has('Hira') || scripts.has('Kana')) scripts.add('Jpan');
  if (scripts.has('Hang')) scripts.add('Kore');
  if (scripts.has('Bopo')) scripts.add('Hanb');
  return scripts;
}

/** TS #39 §5.2 "highly restrictive": one script, or Latin with Japanese, Chinese or Korean. */
const ALLOWED_MIXTURES = [
  ['Latn', 'Hani', 'Hira', 'Kana', 'Jpan'],
  ['Latn', 'Hani', 'Bopo', 'Hanb'],
  ['Latn', 'Hani', 'Hang', 'Kore'],
].map((codes) => new Set(codes));

let scriptNames: Intl.DisplayNames | undefined;
const scriptNameTable = () => (scriptNames ??= new Intl.DisplayNames('en', { type: 'script' }));

function mixedScripts(characters: string[]): string | null {
  if (characters.every((character) => character < '\u0080')) return null;
  const perCharacter = characters.map(scriptsOf).filter((scripts): scripts is Set<string> => scripts !== null);
  if (perCharacter.length === 0) return null;
  const resolved = perCharacter.reduce((common, scripts) => new Set([...common].filter((code) => scripts.has(code))));
  if (resolved.size > 0) return null;
  const covered = ALLOWED_MIXTURES.some((mixture) =>
    perCharacter.every((scripts) => [...scripts].some((code) => mixture.has(code))),
  );
  if (covered) return null;
  const seen: string[] = [];
  for (const scripts of perCharacter) {
    const first = [...scripts][0]!;
    if (!seen.includes(first)) seen.push(first);
  }
  const [a = '', b = ''] = seen.map((code) => scriptNameTable().of(code) ?? code);
  return `That username mixes letters of the ${a} and ${b} scripts, which lets one name pass for another. Write it in one script.`;
}

/** A letter of a right-to-left script (RFC 5893's R and AL), judged by its Script property. */
let rightToLeftLetter: RegExp | undefined;
const rightToLeftLetterPattern = () =>
  (rightToLeftLetter ??= new RegExp(
    `^(?=\\p{L})(?:${[...RIGHT_TO_LEFT_SCRIPTS].map((code) => `\\p{Script=${code}}`).join('|')})$`,
    'u',
  ));

/** RFC 5893 §2 rules 1–4, for a name with right-to-left letters. */
function bidiRule(characters: string[]): string | null {
  const rightToLeft = (character: string) => rightToLeftLetterPattern().test(character);
  if (!characters.some(rightToLeft)) return null;
  const sentence =
    'A username in a right-to-left script must begin with a letter of that script and end with a letter or a digit, with no two kinds of digits. Change its first or last character.';
  const withoutMarks = characters.filter((character) => !/\p{M}/u.test(character));
  const last = withoutMarks[withoutMarks.length - 1]!;
  if (!rightToLeft(characters[0]!) || !(rightToLeft(last) || /\p{Nd}/u.test(last))) return sentence;
  const europeanDigits = characters.some((character) => /[0-9]/u.test(character));
  const arabicDigits = characters.some((character) => /[\u0660-\u0669]/u.test(character));
  const easternDigits = characters.some((character) => /[\u06f0-\u06f9]/u.test(character));
  if ([europeanDigits, arabicDigits, easternDigits].filter(Boolean).length > 1) return sentence;
  return null;
}
