import type { SliceContext } from './app-store.js';

export interface PasswordState {
  /** Current and new password → how many other sessions the change ended. */
  change(password: string, newPassword: string): Promise<number>;
}

export interface PasswordSlice {
  password: PasswordState;
}

export function createPasswordSlice({ api, sessionsChanged }: SliceContext): PasswordSlice {
  return {
    password: {
      async change(password, newPassword) {
        const { otherSessionsEnded } = await api.changePassword(password, newPassword);
        // The list, the checkup and the activity list show what the server now holds.
        await sessionsChanged();
        return otherSessionsEnded;
      },
    },
  };
}
