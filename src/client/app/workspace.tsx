import { useMemo } from 'react';
import { useLocation } from 'wouter';
import type { SwUpdates } from '../pwa/sw-updates';
import { Frame, LoadFailed, Loading } from './frame';
import { RouteScreen } from './router';
import { FIRST_RUN, ROUTES, screenOf, tabOf, useRoute } from './routes';
import { SyncProvider } from './sync-context';
import { DeviceProvider, useDevice } from './use-device';

function Shell({ updates }: { updates: SwUpdates }) {
  const device = useDevice();
  const route = useRoute(useMemo(() => ({ device }), [device]));
  // Settings (and enrolling from a QR code) work before a commune is chosen.
  const needsSetup = device.commune === null && !ROUTES[route.name].beforeSetup;
  // A new address opens its screen afresh; the first-run screen stays while the address changes.
  const [address] = useLocation();
  return (
    <Frame updates={updates} tab={needsSetup ? undefined : tabOf(route)}>
      {device.commune === undefined ? (
        <Loading />
      ) : (
        <RouteScreen
          key={needsSetup ? 'first-run' : address}
          {...(needsSetup ? { screen: FIRST_RUN.screen, params: {} } : screenOf(route))}
          loading={<Loading />}
          failed={(retry) => <LoadFailed retry={retry} />}
        />
      )}
    </Frame>
  );
}

/**
 * Everything that reads the device's data (its commune, sync, the screens): loaded after the
 * frame, so the start-up JavaScript has no Zod and no repositories.
 */
export function Workspace({ updates }: { updates: SwUpdates }) {
  return (
    <DeviceProvider>
      <SyncProvider>
        <Shell updates={updates} />
      </SyncProvider>
    </DeviceProvider>
  );
}
