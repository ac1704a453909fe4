// @vitest-environment happy-dom
import { act, cleanup, render, renderHook, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../src-renderer/api/api-error.js';
import { Button } from '../../../src-renderer/components/Button.js';
import { useAsyncAction } from '../../../src-renderer/components/use-async-action.js';

afterEach(cleanup);

describe('Button', () => {
  it('shows progress, stays focusable and refuses clicks while busy', async () => {
    const user = userEvent.setup();
    const onClick = vi.fn();
    render(
      <Button busy busyLabel="Signing in…" onClick={onClick}>
        Sign in
      </Button>,
    );
    const button = screen.getByRole('button', { name: 'Signing in…' });
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect(button.hasAttribute('disabled')).toBe(false);
    await user.click(button);
    expect(onClick).not.toHaveBeenCalled();
  });

  it('does not submit its form while disabled', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn((event: Event) => event.preventDefault());
    render(
      <form onSubmit={(event) => onSubmit(event.nativeEvent)}>
        <Button type="submit" disabled>
          Done
        </Button>
      </form>,
    );
    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(onSubmit).not.toHaveBeenCalled();
  });
});

describe('useAsyncAction', () => {
  it('runs once however often it is called while pending', async () => {
    let finish: () => void = () => undefined;
    const action = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const { result } = renderHook(() => useAsyncAction(action));
    let first: Promise<boolean> = Promise.resolve(false);
    let second: Promise<boolean> = Promise.resolve(false);
    act(() => {
      first = result.current.run();
      second = result.current.run();
    });
    expect(result.current.pending).toBe(true);
    expect(await second).toBe(false);
    await act(async () => {
      finish();
      expect(await first).toBe(true);
    });
    expect(action).toHaveBeenCalledTimes(1);
    expect(result.current.pending).toBe(false);
  });

  it('turns a failure into the sentence to show', async () => {
    const { result } = renderHook(() =>
      useAsyncAction(async () => {
        throw new ApiError(401, 'invalid_password', 'That password is not right.');
      }),
    );
    await act(async () => {
      expect(await result.current.run()).toBe(false);
    });
    expect(result.current.error).toBe('That password is not right.');
  });
});
