import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SwUpdates } from '../pwa/sw-updates';
import { UpdatePrompt } from '../pwa/update-prompt';
import { useOnlineStatus } from '../ui/use-online-status';
import type { Tab } from './router';
import { href } from './routes';

const NAV: { tab: Tab; href: string; label: 'nav.home' | 'nav.villages' | 'nav.clans' | 'nav.units' }[] = [
  { tab: 'home', href: href.home(), label: 'nav.home' },
  { tab: 'villages', href: href.villages(), label: 'nav.villages' },
  { tab: 'clans', href: href.clans(), label: 'nav.clans' },
  { tab: 'units', href: href.units(), label: 'nav.units' },
];

/**
 * The app's frame: header, update prompt, main region and bottom navigation. It is in the
 * start-up JavaScript and paints at once; the workspace (data, screens) fills `children` when its
 * code is here. `tab` lights the current navigation tab (unknown while the workspace loads).
 */
export function Frame({ updates, tab, children }: { updates: SwUpdates; tab?: Tab; children: ReactNode }) {
  const { t } = useTranslation();
  const isOnline = useOnlineStatus();
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
        <a className="header-link" href={href.settings()} aria-current={tab === 'settings' ? 'page' : undefined}>
          {t('nav.settings')}
        </a>
      </header>
      <UpdatePrompt updates={updates} />
      <main id="main" className="app-main" tabIndex={-1}>
        {children}
      </main>
      <nav className="bottom-nav" aria-label={t('nav.label')}>
        {NAV.map((item) => (
          <a key={item.tab} href={item.href} aria-current={tab === item.tab ? 'page' : undefined}>
            {t(item.label)}
          </a>
        ))}
      </nav>
    </div>
  );
}

/** What the main region says while code or data is on its way (announced to screen readers). */
export function Loading() {
  const { t } = useTranslation();
  return <p role="status">{t('common.loading')}</p>;
}

/** What the main region says when a screen's code cannot be fetched (offline, on-demand area). */
export function LoadFailed({ retry }: { retry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="notice warning" role="alert">
      <h1>{t('app.screenFailedTitle')}</h1>
      <p>{t('app.screenFailed')}</p>
      <button type="button" className="button" onClick={retry}>
        {t('app.retry')}
      </button>
    </div>
  );
}
