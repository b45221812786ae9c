import type { ReactNode } from 'react';

/** A labelled form field with its hint and its (already translated) error. */
export function Field(props: { id: string; label: string; hint?: string; error?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <p id={`${props.id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      <p id={`${props.id}-error`} className="field-error" role={props.error ? 'alert' : undefined}>
        {props.error}
      </p>
    </div>
  );
}

/** aria attributes tying an input to its hint and error. */
export function describedBy(id: string, error: string | undefined) {
  return { 'aria-describedby': `${id}-hint ${id}-error`, 'aria-invalid': error ? true : undefined } as const;
}
