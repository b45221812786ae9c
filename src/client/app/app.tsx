import type { i18n } from 'i18next';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { HomeScreen } from '../features/home/home-screen';
import { SettingsScreen } from '../features/settings/settings-screen';
import { EditGuardProvider } from '../pwa/edit-guard';
import type { SwUpdates } from '../pwa/sw-updates';
import { UpdatePrompt } from '../pwa/update-prompt';
import { useOnlineStatus } from '../ui/use-online-status';
import { ROUTES, useRoute, type RouteName } from './routes';
import { ServicesProvider, type AppServices } from './services';

const SCREENS: Record<RouteName, () => React.JSX.Element> = {
  home: HomeScreen,
  settings: SettingsScreen,
};

function Shell({ updates }: { updates: SwUpdates }) {
  const { t } = useTranslation();
  const route = useRoute();
  const isOnline = useOnlineStatus();
  const Screen = SCREENS[route];
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <span className="app-name">{t('app.name')}</span>
        <span className={isOnline ? 'pill online' : 'pill offline'} data-testid="network-status">
          {isOnline ? t('network.online') : t('network.offline')}
        </span>
      </header>
      <UpdatePrompt updates={updates} />
      <main id="main" className="app-main" tabIndex={-1}>
        <Screen />
      </main>
      <nav className="bottom-nav" aria-label={t('nav.label')}>
        {(Object.keys(ROUTES) as RouteName[]).map((name) => (
          <a key={name} href={ROUTES[name]} aria-current={route === name ? 'page' : undefined}>
            {t(`nav.${name}`)}
          </a>
        ))}
      </nav>
    </div>
  );
}

export function App({ services, i18n, updates }: { services: AppServices; i18n: i18n; updates: SwUpdates }) {
  return (
    <I18nextProvider i18n={i18n}>
      <ServicesProvider services={services}>
        <EditGuardProvider>
          <Shell updates={updates} />
        </EditGuardProvider>
      </ServicesProvider>
    </I18nextProvider>
  );
}
