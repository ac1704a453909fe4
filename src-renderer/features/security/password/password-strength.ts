// A hint on how hard a new password is to guess (zxcvbn-ts: dictionaries, keyboard patterns,
// dates, l33t). Advice only: a password the server's policy takes (docs/api.md "Passwords") is
// never refused for its score. The library and its dictionaries (~1 MB) load on first use, not with
// the page.
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

export interface PasswordStrength {
  /** 0 (guessed at once) to 4 (very hard to guess). */
  score: 0 | 1 | 2 | 3 | 4;
  /** "Weak", "Fair", "Strong"… */
  label: string;
  /** One sentence of advice, or null when there is none. */
  advice: string | null;
}

const LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

let factory: Promise<ZxcvbnFactory> | null = null;

function loadFactory(): Promise<ZxcvbnFactory> {
  factory ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]).then(
    ([core, common, english]) =>
      new core.ZxcvbnFactory({
        translations: english.translations,
        graphs: common.adjacencyGraphs,
        dictionary: { ...common.dictionary, ...english.dictionary },
      }),
  );
  return factory;
}

/** `related`: words a guesser would try first for this person (the username). */
export async function passwordStrength(password: string, related: string[] = []): Promise<PasswordStrength> {
  const zxcvbn = await loadFactory();
  const result = await zxcvbn.checkAsync(password, related);
  const advice = result.feedback.warning ?? result.feedback.suggestions[0] ?? null;
  return { score: result.score, label: LABELS[result.score], advice };
}
