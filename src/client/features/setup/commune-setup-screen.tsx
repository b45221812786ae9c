import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { findProvince, searchCommunes, type AdminUnits, type Commune } from '../../../domain/places/commune-search';
import { href } from '../../app/routes';
import { useServices } from '../../app/services';
import { writeSetting } from '../../db/settings.repository';
import { loadAdminUnits } from '../shared/load-admin-units';

const RESULT_LIMIT = 30;

/** First run: the device picks its commune from the national list (offline, from the precache). */
export function CommuneSetupScreen() {
  const { t } = useTranslation();
  const { db, now } = useServices();
  const [units, setUnits] = useState<AdminUnits | undefined>();
  const [provinceCode, setProvinceCode] = useState('');
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<Commune | undefined>();

  useEffect(() => {
    let cancelled = false;
    void loadAdminUnits().then((loaded) => {
      if (!cancelled) setUnits(loaded);
    });
    return () => {
      cancelled = true;
    };
  }, []);

  const results = useMemo(
    () =>
      units && (query.trim() || provinceCode)
        ? searchCommunes(units, query, provinceCode || undefined, RESULT_LIMIT)
        : [],
    [units, query, provinceCode],
  );

  const confirm = async (commune: Commune) => {
    const province = units ? findProvince(units, commune.provinceCode) : undefined;
    if (!province) return;
    const at = now();
    await writeSetting(
      db,
      'commune',
      {
        communeCode: commune.code,
        communeName: commune.fullName,
        provinceCode: province.code,
        provinceName: province.fullName,
      },
      at,
    );
    await writeSetting(db, 'workingYear', at.getFullYear(), at);
  };

  if (!units) return <p role="status">{t('setup.loading')}</p>;
  return (
    <>
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <p className="notice">
        {t('setup.haveCode')} <a href={href.settings()}>{t('setup.haveCodeLink')}</a>
      </p>
      <div className="card">
        <div className="field">
          <label htmlFor="setup-province">{t('setup.province')}</label>
          <select id="setup-province" value={provinceCode} onChange={(e) => setProvinceCode(e.target.value)}>
            <option value="">{t('setup.allProvinces')}</option>
            {units.provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {p.fullName}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="setup-commune">{t('setup.commune')}</label>
          <input
            id="setup-commune"
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            autoComplete="off"
            aria-describedby="setup-commune-hint"
          />
          <p id="setup-commune-hint" className="hint">
            {t('setup.communeHint')}
          </p>
        </div>
        {(query.trim() || provinceCode) && results.length === 0 && <p>{t('setup.noResults')}</p>}
        <ul className="choice-list" aria-label={t('setup.results')}>
          {results.map((c) => (
            <li key={c.code}>
              <button
                type="button"
                className={chosen?.code === c.code ? 'list-button selected' : 'list-button'}
                aria-pressed={chosen?.code === c.code}
                onClick={() => setChosen(c)}
              >
                <span>{c.fullName}</span>
                <span className="muted">
                  {t('setup.resultMeta', {
                    province: findProvince(units, c.provinceCode)?.fullName ?? '',
                    code: c.code,
                  })}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </div>
      {chosen && (
        <div className="card sticky-action">
          <p>
            {t('setup.chosen', {
              commune: chosen.fullName,
              province: findProvince(units, chosen.provinceCode)?.fullName ?? '',
            })}
          </p>
          <button type="button" className="button primary" onClick={() => void confirm(chosen)}>
            {t('setup.confirm')}
          </button>
        </div>
      )}
    </>
  );
}
