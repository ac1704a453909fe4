// The single-instance lock, with a stand-in for Electron's app (the Electron runtime is not
// available here).
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { claimSingleInstance, focusWindow } from '../../../src-main/app/single-instance.js';

class FakeApp extends EventEmitter {
  constructor(private readonly lock: boolean) {
    super();
  }
  quit = vi.fn();
  requestSingleInstanceLock = () => this.lock;
}

describe('claimSingleInstance', () => {
  it('lets the first instance run and focuses it when a second starts', () => {
    const app = new FakeApp(true);
    const focus = vi.fn();
    expect(claimSingleInstance(app, focus)).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    app.emit('second-instance');
    expect(focus).toHaveBeenCalledTimes(1);
  });

  it('quits a second instance', () => {
    const app = new FakeApp(false);
    expect(claimSingleInstance(app, vi.fn())).toBe(false);
    expect(app.quit).toHaveBeenCalledTimes(1);
  });
});

describe('focusWindow', () => {
  it('restores a minimized window and brings it forward', () => {
    const window = {
      isDestroyed: () => false,
      isMinimized: () => true,
      restore: vi.fn(),
      show: vi.fn(),
      focus: vi.fn(),
    };
    focusWindow(window);
    expect(window.restore).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });

  it('ignores a closed window', () => {
    const window = {
      isDestroyed: () => true,
      isMinimized: () => true,
      restore: vi.fn(),
      show: vi.fn(),
      focus: vi.fn(),
    };
    focusWindow(window);
    focusWindow(null);
    expect(window.focus).not.toHaveBeenCalled();
  });
});
