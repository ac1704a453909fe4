// Usernames are shown as typed but compared by a key (NFKC, lower case), so that "Alice",
// "ALICE" and a full-width "Ａｌｉｃｅ" are one account and share one attempt counter.
export const USERNAME_PATTERN = /^[\p{L}\p{N}._@+-]{3,64}$/u;

export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

export function isValidUsername(username: string): boolean {
  return username.isWellFormed() && USERNAME_PATTERN.test(username.normalize('NFKC'));
}
