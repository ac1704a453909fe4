// A modal dialog (WAI-ARIA APG "Dialog (Modal)"): focus moves in on open, Tab and Shift+Tab stay
// inside, the page behind is inert, Escape closes (when closing is allowed), and focus returns to
// what opened it, or to a fallback when that is gone.
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { tabbableElements } from './focus.js';

export interface DialogProps {
  title: string;
  onClose: () => void;
  /** False while closing would lose something (a request in flight, codes not yet saved). */
  canClose?: boolean;
  /** Where focus goes on open; default the first field, else the first control. */
  initialFocus?: RefObject<HTMLElement | null>;
  /** Where focus goes on close when the opener no longer exists. */
  fallbackFocus?: () => HTMLElement | null;
  wide?: boolean;
  children: ReactNode;
}

export function Dialog({
  title,
  onClose,
  canClose = true,
  initialFocus,
  fallbackFocus,
  wide = false,
  children,
}: DialogProps) {
  const titleId = useId();
  const panelRef = useRef<HTMLDivElement>(null);
  const layerRef = useRef<HTMLDivElement>(null);
  const latest = useRef({ onClose, canClose, fallbackFocus });
  useEffect(() => {
    latest.current = { onClose, canClose, fallbackFocus };
  });

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const layer = layerRef.current;
    const panel = panelRef.current;
    if (!layer || !panel) return;

    // Everything else on the page becomes inert: no clicks, no focus, hidden from screen readers.
    const madeInert: Element[] = [];
    for (const sibling of Array.from(document.body.children)) {
      if (sibling !== layer && !sibling.hasAttribute('inert')) {
        sibling.setAttribute('inert', '');
        madeInert.push(sibling);
      }
    }

    const tabbable = tabbableElements(panel);
    const target =
      initialFocus?.current ??
      tabbable.find((element) => element.matches('input, textarea, select')) ??
      tabbable[0] ??
      panel;
    target.focus();

    return () => {
      for (const element of madeInert) element.removeAttribute('inert');
      const back = opener?.isConnected ? opener : latest.current.fallbackFocus?.();
      back?.focus();
    };
    // Runs once per opening; later prop changes are read through `latest`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      if (latest.current.canClose) latest.current.onClose();
      return;
    }
    if (event.key !== 'Tab' || !panelRef.current) return;
    const tabbable = tabbableElements(panelRef.current);
    const first = tabbable[0];
    const last = tabbable[tabbable.length - 1];
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    const active = document.activeElement;
    if (event.shiftKey && (active === first || !panelRef.current.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !panelRef.current.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <div className="dialog-layer" ref={layerRef}>
      <div
        ref={panelRef}
        className={wide ? 'dialog dialog-wide' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <div className="dialog-header">
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          {canClose && (
            <button type="button" className="dialog-close no-print" aria-label="Close" onClick={() => onClose()}>
              <span aria-hidden="true">×</span>
            </button>
          )}
        </div>
        <div className="dialog-body">{children}</div>
      </div>
    </div>,
    document.body,
  );
}
