import type { i18n } from 'i18next';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { AssessmentScreen } from '../features/assessments/assessment-screen';
import { ClanFormScreen } from '../features/clans/clan-form-screen';
import { ClansScreen } from '../features/clans/clans-screen';
import { HomeScreen } from '../features/home/home-screen';
import { CitizenFormScreen } from '../features/households/citizen-form-screen';
import { HouseholdFormScreen } from '../features/households/household-form-screen';
import { HouseholdListScreen } from '../features/households/household-list-screen';
import { HouseholdScreen } from '../features/households/household-screen';
import { SettingsScreen } from '../features/settings/settings-screen';
import { ConflictsScreen } from '../features/sync/conflicts-screen';
import { CommuneSetupScreen } from '../features/setup/commune-setup-screen';
import { UnitFormScreen } from '../features/units/unit-form-screen';
import { UnitsScreen } from '../features/units/units-screen';
import { VillagesScreen } from '../features/villages/villages-screen';
import { EditGuardProvider } from '../pwa/edit-guard';
import type { SwUpdates } from '../pwa/sw-updates';
import { UpdatePrompt } from '../pwa/update-prompt';
import { UndoProvider } from '../ui/undo-toast';
import { useOnlineStatus } from '../ui/use-online-status';
import { href, useRoute, type Route } from './routes';
import { ServicesProvider, type AppServices } from './services';
import { SyncProvider } from './sync-context';
import { DeviceProvider, useDevice } from './use-device';

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
    case 'citizenNew':
      return <CitizenFormScreen key={`new-${route.householdId}`} householdId={route.householdId} />;
    case 'citizenEdit':
      return <CitizenFormScreen key={route.citizenId} householdId={route.householdId} citizenId={route.citizenId} />;
    case 'assessment':
      return (
        <AssessmentScreen
          key={`${route.title}-${route.subjectId}-${route.year}`}
          title={route.title}
          subjectId={route.subjectId}
          year={route.year}
        />
      );
    case 'conflicts':
      return <ConflictsScreen />;
    case 'connect':
      return <SettingsScreen enrollCode={route.code} />;
    case 'clans':
      return <ClansScreen />;
    case 'clanEdit':
      return <ClanFormScreen key={route.clanId ?? 'new'} clanId={route.clanId} />;
    case 'units':
      return <UnitsScreen />;
    case 'unitEdit':
      return <UnitFormScreen key={route.unitId ?? 'new'} unitId={route.unitId} />;
  }
}

const NAV: { tab: Tab; href: string; label: 'nav.home' | 'nav.villages' | 'nav.clans' | 'nav.units' }[] = [
  { tab: 'home', href: href.home(), label: 'nav.home' },
  { tab: 'villages', href: href.villages(), label: 'nav.villages' },
  { tab: 'clans', href: href.clans(), label: 'nav.clans' },
  { tab: 'units', href: href.units(), label: 'nav.units' },
];
type Tab = 'home' | 'villages' | 'clans' | 'units' | 'settings';

/** Which bottom-nav tab a screen belongs to. */
function tabOf(route: Route): Tab {
  switch (route.name) {
    case 'home':
    case 'settings':
      return route.name;
    case 'conflicts':
      return 'home';
    case 'connect':
      return 'settings';
    case 'clans':
    case 'clanEdit':
      return 'clans';
    case 'units':
    case 'unitEdit':
      return 'units';
    case 'assessment':
      return route.title === 'learning_clan' ? 'clans' : route.title === 'learning_unit' ? 'units' : 'villages';
    default:
      return 'villages';
  }
}

function Shell({ updates }: { updates: SwUpdates }) {
  const { t } = useTranslation();
  const route = useRoute();
  const isOnline = useOnlineStatus();
  const { commune } = useDevice();
  // Settings (and enrolling from a QR code) work before a commune is chosen.
  const needsSetup = commune === null && route.name !== 'settings' && route.name !== 'connect';
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
        <a className="header-link" href={href.settings()} aria-current={route.name === 'settings' ? 'page' : undefined}>
          {t('nav.settings')}
        </a>
      </header>
      <UpdatePrompt updates={updates} />
      <main id="main" className="app-main" tabIndex={-1}>
        {commune === undefined ? (
          <p role="status">{t('common.loading')}</p>
        ) : needsSetup ? (
          <CommuneSetupScreen />
        ) : (
          <Screen route={route} />
        )}
      </main>
      <nav className="bottom-nav" aria-label={t('nav.label')}>
        {NAV.map((item) => (
          <a key={item.tab} href={item.href} aria-current={tabOf(route) === item.tab ? 'page' : undefined}>
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
          <DeviceProvider>
            <SyncProvider>
              <UndoProvider>
                <Shell updates={updates} />
              </UndoProvider>
            </SyncProvider>
          </DeviceProvider>
        </EditGuardProvider>
      </ServicesProvider>
    </I18nextProvider>
  );
}
