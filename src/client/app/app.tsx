import type { i18n } from 'i18next';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { AssessmentScreen } from '../features/assessments/assessment-screen';
import { HomeScreen } from '../features/home/home-screen';
import { HouseholdFormScreen } from '../features/households/household-form-screen';
import { HouseholdListScreen } from '../features/households/household-list-screen';
import { HouseholdScreen } from '../features/households/household-screen';
import { SettingsScreen } from '../features/settings/settings-screen';
import { CommuneSetupScreen } from '../features/setup/commune-setup-screen';
import { VillagesScreen } from '../features/villages/villages-screen';
import { EditGuardProvider } from '../pwa/edit-guard';
import type { SwUpdates } from '../pwa/sw-updates';
import { UpdatePrompt } from '../pwa/update-prompt';
import { UndoProvider } from '../ui/undo-toast';
import { useOnlineStatus } from '../ui/use-online-status';
import { href, useRoute, type Route } from './routes';
import { ServicesProvider, type AppServices } from './services';
import { useDevice } from './use-device';

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'home':
      return <HomeScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'villages':
      return <VillagesScreen />;
    case 'village':
      return <HouseholdListScreen key={route.villageId} villageId={route.villageId} />;
    case 'householdNew':
      return <HouseholdFormScreen key={`new-${route.villageId}`} villageId={route.villageId} />;
    case 'household':
      return <HouseholdScreen key={route.householdId} householdId={route.householdId} />;
    case 'householdEdit':
      return <HouseholdFormScreen key={`edit-${route.householdId}`} householdId={route.householdId} />;
    case 'assessment':
      return <AssessmentScreen key={`${route.title}-${route.subjectId}-${route.year}`} title={route.title} subjectId={route.subjectId} year={route.year} />;
    default:
      return <HomeScreen />;
  }
}

const NAV: { route: Route['name']; href: string; label: 'nav.home' | 'nav.villages' | 'nav.settings' }[] = [
  { route: 'home', href: href.home(), label: 'nav.home' },
  { route: 'villages', href: href.villages(), label: 'nav.villages' },
  { route: 'settings', href: href.settings(), label: 'nav.settings' },
];

/** Which bottom-nav tab a screen belongs to. */
function tabOf(route: Route): Route['name'] {
  if (route.name === 'settings' || route.name === 'home') return route.name;
  return 'villages';
}

function Shell({ updates }: { updates: SwUpdates }) {
  const { t } = useTranslation();
  const route = useRoute();
  const isOnline = useOnlineStatus();
  const { commune } = useDevice();
  const needsSetup = commune === null && route.name !== 'settings';
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
        {commune === undefined ? <p role="status">{t('common.loading')}</p> : needsSetup ? <CommuneSetupScreen /> : <Screen route={route} />}
      </main>
      <nav className="bottom-nav" aria-label={t('nav.label')}>
        {NAV.map((item) => (
          <a key={item.route} href={item.href} aria-current={tabOf(route) === item.route ? 'page' : undefined}>
            {t(item.label)}
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
          <UndoProvider>
            <Shell updates={updates} />
          </UndoProvider>
        </EditGuardProvider>
      </ServicesProvider>
    </I18nextProvider>
  );
}
