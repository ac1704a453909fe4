/**
 * A polite live region that lives as long as the app: text put into it is read out even when the
 * screen around it was just replaced (sign-out, an ended session), which a region created with
 * the new screen would not guarantee.
 */
export function LiveAnnouncer({ message }: { message: string | null }) {
  return (
    <div role="status" className="visually-hidden">
      {message}
    </div>
  );
}
