// docs/api.md "Signing out everywhere else": the answer of a change names how many other sessions
// ended only when the request asked for it.
export function otherSessionsAnswer(ended: number | null): { otherSessionsEnded?: number } {
  return ended === null ? {} : { otherSessionsEnded: ended };
}

/** The person's choice as the service takes it: the asking session, and whether to end the others. */
export function signOutChoice<S>(
  session: S,
  body: { signOutOtherSessions?: boolean },
): { session: S; signOutOtherSessions: boolean } {
  return { session, signOutOtherSessions: body.signOutOtherSessions === true };
}
