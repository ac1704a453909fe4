// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, expect, it, vi } from 'vitest';
import { Menu } from '../../../src-renderer/components/Menu.js';

afterEach(cleanup);

it('opens on the first item, moves with arrows, selects with Enter, closes with Escape', async () => {
  const user = userEvent.setup();
  const settings = vi.fn();
  const signOut = vi.fn();
  render(
    <Menu
      label="Account menu"
      buttonContent={
        <>
          alice<span className="visually-hidden"> account menu</span>
        </>
      }
      items={[
        { label: 'Security settings', onSelect: settings },
        { label: 'Sign out', onSelect: signOut },
      ]}
    />,
  );
  const button = screen.getByRole('button', { name: 'alice account menu' });
  // Label in Name (WCAG 2.5.3): the name is the visible text, never an aria-label laid over it.
  expect(button.hasAttribute('aria-label')).toBe(false);
  expect(button.getAttribute('aria-expanded')).toBe('false');
  button.focus();
  await user.keyboard('{Enter}');
  expect(button.getAttribute('aria-expanded')).toBe('true');
  expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'Security settings' }));
  expect(screen.getByRole('menu', { name: 'Account menu' })).toBeTruthy();
  await user.keyboard('{ArrowDown}');
  expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'Sign out' }));
  await user.keyboard('{ArrowDown}');
  expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'Security settings' }));
  await user.keyboard('{End}');
  expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'Sign out' }));
  await user.keyboard('{Escape}');
  expect(screen.queryByRole('menu')).toBeNull();
  expect(document.activeElement).toBe(button);

  await user.keyboard('{ArrowDown}');
  await user.keyboard('{Enter}');
  expect(settings).toHaveBeenCalledTimes(1);
  expect(signOut).not.toHaveBeenCalled();
  expect(screen.queryByRole('menu')).toBeNull();
});
