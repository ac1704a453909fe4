// Settings > Security as the app shows it, on the given store; returns the user-event driver.
import { render } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { SecurityPage } from '../../../src-renderer/features/security/SecurityPage.js';
import type { AppStore } from '../../../src-renderer/store/app-store.js';
import { StoreProvider } from '../../../src-renderer/store/store-context.js';

export function renderSecurityPage(store: AppStore): ReturnType<typeof userEvent.setup> {
  render(
    <StoreProvider store={store}>
      <main id="root">
        <SecurityPage />
      </main>
    </StoreProvider>,
  );
  return userEvent.setup();
}
