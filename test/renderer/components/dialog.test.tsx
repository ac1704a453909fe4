// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dialog } from '../../../src-renderer/components/Dialog.js';

afterEach(cleanup);

function Harness({ canClose = true, removeOpener = false }: { canClose?: boolean; removeOpener?: boolean }) {
  const [open, setOpen] = useState(false);
  const [openerGone, setOpenerGone] = useState(false);
  return (
    <div>
      <h2 tabIndex={-1} id="fallback">
        Section
      </h2>
      {!openerGone && (
        <button type="button" onClick={() => setOpen(true)}>
          Open
        </button>
      )}
      <button type="button">Behind</button>
      {open && (
        <Dialog
          title="Example"
          canClose={canClose}
          onClose={() => {
            if (removeOpener) setOpenerGone(true);
            setOpen(false);
          }}
          fallbackFocus={() => document.getElementById('fallback')}
        >
          <label htmlFor="field">Field</label>
          <input id="field" />
          <button type="button">Last</button>
        </Dialog>
      )}
    </div>
  );
}

describe('Dialog', () => {
  it('is a labelled modal dialog that takes focus and makes the page behind inert', async () => {
    const user = userEvent.setup();
    const { container } = render(<Harness />);
    await user.click(screen.getByRole('button', { name: 'Open' }));
    const dialog = screen.getByRole('dialog', { name: 'Example' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(screen.getByLabelText('Field'));
    expect(container.hasAttribute('inert')).toBe(true);
  });

  it('keeps Tab and Shift+Tab inside', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('button', { name: 'Open' }));
    const dialog = screen.getByRole('dialog');
    await user.tab(); // Field → Last
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Last' }));
    await user.tab(); // Last → wraps to the first (Close)
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
    await user.tab({ shift: true }); // Close → wraps back to Last
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Last' }));
    for (let press = 0; press < 6; press++) {
      await user.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
    }
  });

  it('closes on Escape and gives focus back to the opener; the page is no longer inert', async () => {
    const user = userEvent.setup();
    const { container } = render(<Harness />);
    const opener = screen.getByRole('button', { name: 'Open' });
    await user.click(opener);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(container.hasAttribute('inert')).toBe(false);
  });

  it('falls back when the opener is gone', async () => {
    const user = userEvent.setup();
    render(<Harness removeOpener />);
    await user.click(screen.getByRole('button', { name: 'Open' }));
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(document.activeElement).toBe(document.getElementById('fallback'));
  });

  it('cannot be closed while closing would lose something', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    render(
      <Dialog title="Busy" canClose={false} onClose={onClose}>
        <button type="button">Only</button>
      </Dialog>,
    );
    await user.keyboard('{Escape}');
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Close' })).toBeNull();
  });
});
