// Pricing: per model, a scheme for its modality, licence add-ons, and a live quote of the form as typed.
import { useEffect, useState } from 'react';
import { formatUsd, type Licence, type ModelSummary, type Quote, type SubcategoryInfo } from '../../../preload/contract';
import { api } from '../../platform';
import { PricingIcon } from '../../ui/icons';
import { ModelSelect, NoModelYet, useCurrentModel } from '../models/ModelChooser';
import { subcategoryInfo, useModels } from '../models/store';
import { useToasts } from '../toasts/store';
import { draftOf, fieldErrorsOf, pricingOf, type FieldErrors, type PricingDraft } from './pricing-form';
import '../models/models.css';
import './pricing.css';

/** The quote waits for the creator to pause typing this long before asking the studio. */
const QUOTE_DEBOUNCE_MS = 300;

export function PricingScreen() {
  const { models, loaded, model, pick } = useCurrentModel();
  const catalog = useModels((s) => s.catalog);
  const info = model ? subcategoryInfo(catalog, model.subcategory) : undefined;

  if (loaded && models.length === 0) {
    return (
      <NoModelYet testid="pricing-empty" icon={<PricingIcon />} heading="Nothing to price yet">
        Prices belong to a model: make one first, then come back to say what a design, a second or a word of it costs.
      </NoModelYet>
    );
  }

  return (
    <div className="pricing" data-testid="pricing-screen">
      <div className="pg-bar">
        <ModelSelect testid="pricing-model" models={models} model={model} onPick={pick} />
        {model?.pricing ? <span className="pill success">Priced</span> : model ? <span className="pill">No price yet</span> : null}
      </div>
      {model && info ? <PricingForm key={model.id} model={model} info={info} /> : null}
    </div>
  );
}

function Money({
  label,
  field,
  value,
  errors,
  onChange,
  testid,
  suffix,
}: {
  label: string;
  field: string;
  value: string;
  errors: FieldErrors;
  onChange(v: string): void;
  testid: string;
  suffix?: string;
}) {
  const error = errors[field];
  const id = `f-${testid}`;
  return (
    <div className="money-field">
      <label htmlFor={id}>{label}</label>
      <span className="money-input">
        <span aria-hidden="true">$</span>
        <input
          id={id}
          className="text-input"
          data-testid={testid}
          inputMode="decimal"
          value={value}
          aria-invalid={error !== undefined}
          aria-describedby={error ? `${id}-err` : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
        {suffix ? <span className="muted small">{suffix}</span> : null}
      </span>
      {error ? (
        <p className="field-error" id={`${id}-err`} data-testid={`${testid}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function Quantity({ label, field, value, errors, onChange, testid, unit }: { label: string; field: string; value: string; errors: FieldErrors; onChange(v: string): void; testid: string; unit: string }) {
  const error = errors[field];
  return (
    <div className="money-field">
      <label htmlFor={`f-${testid}`}>{label}</label>
      <span className="money-input">
        <input id={`f-${testid}`} className="text-input narrow" data-testid={testid} inputMode="numeric" value={value} aria-invalid={error !== undefined} onChange={(e) => onChange(e.target.value)} />
        <span className="muted small">{unit}</span>
      </span>
      {error ? (
        <p className="field-error" data-testid={`${testid}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function PricingForm({ model, info }: { model: ModelSummary; info: SubcategoryInfo }) {
  const [draft, setDraft] = useState<PricingDraft>(() => draftOf(model.pricing));
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [quantity, setQuantity] = useState(info.modality === 'audio' ? '45s' : info.modality === 'text' ? '300 words' : '1');
  const [licence, setLicence] = useState<Licence>('personal');
  const [quote, setQuote] = useState<Quote | null>(null);
  const [quoteError, setQuoteError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const local = pricingOf(draft);
  const errors: FieldErrors = { ...serverErrors, ...local.errors };
  const imageOnlyPerUnit = info.modality === 'image';
  const offersBroadcast = info.licences.includes('broadcast');
  const draftKey = JSON.stringify(local.pricing);

  function change(patch: Partial<PricingDraft>) {
    setDraft((d) => ({ ...d, ...patch }));
  }

  // Live quote of the draft: the studio validates it with the same rules as Save, so problems show per field.
  useEffect(() => {
    if (!local.pricing) {
      setQuote(null);
      setServerErrors({});
      return;
    }
    let alive = true;
    const pricing = local.pricing;
    const timer = setTimeout(() => {
      void api.pricing.quote({ modelId: model.id, pricing, quantity, licence }).then((got) => {
        if (!alive) return;
        if (got.ok) {
          setQuote(got.value);
          setQuoteError(null);
          setServerErrors({});
        } else {
          const byField = fieldErrorsOf(got.error.details);
          setServerErrors(byField);
          setQuote(null);
          setQuoteError(Object.keys(byField).length ? null : got.error.message);
        }
      });
    }, QUOTE_DEBOUNCE_MS);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
    // draftKey stands for local.pricing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draftKey, quantity, licence, model.id]);

  async function save() {
    if (!local.pricing) return;
    setSaving(true);
    try {
      const saved = await api.pricing.set({ modelId: model.id, pricing: local.pricing });
      if (saved.ok) {
        setServerErrors({});
        useToasts.getState().show({ kind: 'success', heading: 'Price saved', message: `${model.displayName} is priced.` });
        void useModels.getState().load();
      } else {
        const byField = fieldErrorsOf(saved.error.details);
        setServerErrors(byField);
        if (Object.keys(byField).length === 0) useToasts.getState().showError(saved.error, 'Could not save the price');
      }
    } finally {
      setSaving(false);
    }
  }

  const unit = info.unit;
  return (
    <div className="pricing-body">
      <form
        className="card panel pricing-form"
        data-testid="pricing-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h3>How {model.displayName} is priced</h3>
        <fieldset className="scheme-choice">
          <legend>Scheme</legend>
          <label>
            <input type="radio" name="scheme" data-testid="pricing-scheme-per-unit" checked={draft.scheme === 'per-unit'} onChange={() => change({ scheme: 'per-unit' })} />
            Per {unit.singular}
          </label>
          <label className={imageOnlyPerUnit ? 'disabled' : ''}>
            <input
              type="radio"
              name="scheme"
              data-testid="pricing-scheme-base"
              disabled={imageOnlyPerUnit}
              checked={draft.scheme === 'base-increment'}
              onChange={() => change({ scheme: 'base-increment' })}
            />
            Base + increments
          </label>
          {imageOnlyPerUnit ? <p className="hint">{info.label} models are priced per design.</p> : null}
          {errors.scheme ? <p className="field-error">{errors.scheme}</p> : null}
        </fieldset>

        {draft.scheme === 'per-unit' ? (
          <Money label={`Price per ${unit.singular}`} field="unitPriceCents" value={draft.unitPrice} errors={errors} testid="pricing-unit" onChange={(v) => change({ unitPrice: v })} />
        ) : (
          <div className="pricing-grid">
            <Quantity label="Base covers" field="base.quantity" value={draft.baseQuantity} errors={errors} testid="pricing-base-qty" unit={unit.plural} onChange={(v) => change({ baseQuantity: v })} />
            <Money label="Base price" field="base.priceCents" value={draft.basePrice} errors={errors} testid="pricing-base-price" onChange={(v) => change({ basePrice: v })} />
            <Quantity label="Each increment" field="increment.quantity" value={draft.incrementQuantity} errors={errors} testid="pricing-inc-qty" unit={unit.plural} onChange={(v) => change({ incrementQuantity: v })} />
            <Money label="Price per increment" field="increment.priceCents" value={draft.incrementPrice} errors={errors} testid="pricing-inc-price" onChange={(v) => change({ incrementPrice: v })} />
          </div>
        )}

        <fieldset className="licences">
          <legend>Licences</legend>
          <p className="hint">Personal use is always included. Offer more if you like:</p>
          <label>
            <input type="checkbox" data-testid="pricing-commercial-on" checked={draft.commercial} onChange={(e) => change({ commercial: e.target.checked })} />
            Commercial licence
          </label>
          {draft.commercial ? (
            <Money label="Commercial licence, on top" field="licences.commercialCents" value={draft.commercialPrice} errors={errors} testid="pricing-commercial" onChange={(v) => change({ commercialPrice: v })} />
          ) : errors['licences.commercialCents'] ? (
            <p className="field-error">{errors['licences.commercialCents']}</p>
          ) : null}
          {offersBroadcast ? (
            <>
              <label>
                <input type="checkbox" data-testid="pricing-broadcast-on" checked={draft.broadcast} onChange={(e) => change({ broadcast: e.target.checked })} />
                Broadcast rights (radio, TV)
              </label>
              {draft.broadcast ? (
                <Money label="Broadcast rights, on top" field="licences.broadcastCents" value={draft.broadcastPrice} errors={errors} testid="pricing-broadcast" onChange={(v) => change({ broadcastPrice: v })} />
              ) : null}
            </>
          ) : null}
        </fieldset>
        <p className="edit-included" data-testid="pricing-edit-included">
          ✓ One edit included in every price.
        </p>
        <div className="pg-actions">
          <button type="submit" className="button primary" data-testid="pricing-save" disabled={saving || !local.pricing || Object.keys(serverErrors).length > 0}>
            Save price
          </button>
        </div>
      </form>

      <section className="card panel quote-panel" data-testid="pricing-quote-panel" aria-labelledby="quote-h">
        <h3 id="quote-h">What a client would pay</h3>
        <div className="pg-row">
          <label className="stack-label">
            Amount
            <input className="text-input" data-testid="pricing-quote-qty" value={quantity} onChange={(e) => setQuantity(e.target.value)} />
          </label>
          <label className="stack-label">
            Licence
            <select className="select-input" data-testid="pricing-quote-licence" value={licence} onChange={(e) => setLicence(e.target.value as Licence)}>
              <option value="personal">Personal</option>
              <option value="commercial">Commercial</option>
              {offersBroadcast ? <option value="broadcast">Broadcast</option> : null}
            </select>
          </label>
        </div>
        {quote ? (
          <>
            <p className="quote-summary" data-testid="pricing-quote">
              {quote.summary}
            </p>
            <ul className="quote-lines">
              {quote.lines.map((l, i) => (
                <li key={i}>
                  <span>{l.label}</span>
                  <span>{l.cents === 0 ? 'included' : formatUsd(l.cents)}</span>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="muted" data-testid="pricing-quote-empty">
            {quoteError ?? 'Fill in the price to see a quote.'}
          </p>
        )}
      </section>
    </div>
  );
}
