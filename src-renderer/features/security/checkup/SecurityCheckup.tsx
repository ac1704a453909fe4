import { Button } from '../../../components/Button.js';
import { useAppStore } from '../../../store/store-context.js';
import { securityCheckup } from './checkup.js';

/** The heading of the section where a step is taken: brought into view and focused. */
function goToSection(headingId: string): void {
  const heading = document.getElementById(headingId);
  heading?.scrollIntoView({ block: 'start' });
  heading?.focus();
}

export function SecurityCheckup() {
  const status = useAppStore((state) => state.twoFactor.status);
  // Null until the session list (further down the page) has loaded.
  const otherSessions = useAppStore(
    (state) => state.sessions.items?.filter((session) => !session.current).length ?? null,
  );
  const openEnrolment = useAppStore((state) => state.twoFactor.openEnrolment);
  if (status === null) return null;
  const { lines, next } = securityCheckup(status, otherSessions);

  return (
    <section className="card checkup" aria-labelledby="checkup-heading">
      <h2 id="checkup-heading">Security checkup</h2>
      <ul className="checkup-lines">
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {next ? (
        <div className="checkup-next">
          <p>
            <strong>Next step:</strong> {next.advice}
          </p>
          <div className="button-row">
            <Button
              variant="primary"
              onClick={() => (next.kind === 'turn_on_two_factor' ? openEnrolment() : goToSection(next.section))}
            >
              {next.action}
            </Button>
          </div>
        </div>
      ) : (
        <p className="checkup-next">
          <strong>Nothing to do.</strong> Your account is well protected.
        </p>
      )}
    </section>
  );
}
