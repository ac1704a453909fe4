import { useEffect, useRef } from 'react';

/**
 * Sets the document title and moves focus to the page's h1 when the page appears, so keyboard and
 * screen-reader users land at the top of the new screen (the h1 has tabIndex -1).
 */
export function usePageHeading(title: string, { focus = true }: { focus?: boolean } = {}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Latchkey`;
  }, [title]);
  useEffect(() => {
    // Focus only when something inside the app had focus (or nothing did): never steal it from a
    // dialog.
    if (!focus) return;
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('#root')) ref.current?.focus({ preventScroll: false });
  }, [title, focus]);
  return ref;
}
