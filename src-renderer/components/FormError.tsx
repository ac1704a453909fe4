// An always-present live region: screen readers announce the sentence when it appears
// (role=alert), and an icon plus words carry the meaning, not the colour.
export function FormError({ id, message }: { id?: string; message: string | null }) {
  return (
    <div id={id} role="alert" className={message ? 'form-error' : 'live-slot'}>
      {message && (
        <>
          <span className="icon" aria-hidden="true">
            !
          </span>
          <span>{message}</span>
        </>
      )}
    </div>
  );
}
