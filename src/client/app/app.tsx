import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { Router } from 'wouter';
import { EditGuardProvider } from '../pwa/edit-guard';
import type { SwUpdates } from '../pwa/sw-updates';
import { UndoProvider } from '../ui/undo-toast';
import { Frame, LoadFailed, Loading } from './frame';
import { lazyScreen, RouteScreen, useHashAddress } from './router';
import { ServicesProvider, type AppServices } from './services';

/** The workspace's code (field area): fetched while the database opens, shown once here. */
export const WORKSPACE = lazyScreen(
  () => import('./workspace'),
  (m) => m.Workspace,
);

export function App({ services, i18n, updates }: { services: AppServices; i18n: i18n; updates: SwUpdates }) {
  return (
    <I18nextProvider i18n={i18n}>
      <ServicesProvider services={services}>
        <EditGuardProvider>
          <UndoProvider>
            <Router hook={useHashAddress}>
              <RouteScreen
                screen={WORKSPACE}
                params={{ updates }}
                loading={
                  <Frame updates={updates}>
                    <Loading />
                  </Frame>
                }
                failed={(retry) => (
                  <Frame updates={updates}>
                    <LoadFailed retry={retry} />
                  </Frame>
                )}
              />
            </Router>
          </UndoProvider>
        </EditGuardProvider>
      </ServicesProvider>
    </I18nextProvider>
  );
}
