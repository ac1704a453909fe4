// The header of a guided dialog's current step: "Step N of M" and the step's title. Each new step
// is announced and reached by moving focus to its heading (not on the first step: the dialog
// itself places focus when it opens).
import { useEffect, useRef } from 'react';

export function StepHeader<Step extends string>({
  step,
  steps,
  titles,
}: {
  step: Step;
  steps: readonly Step[];
  titles: Record<Step, string>;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const firstStep = useRef(true);

  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    heading.current?.focus();
  }, [step]);

  return (
    <>
      <p className="step-count">
        Step {steps.indexOf(step) + 1} of {steps.length}
      </p>
      <h3 ref={heading} tabIndex={-1} className="step-title">
        {titles[step]}
      </h3>
    </>
  );
}
