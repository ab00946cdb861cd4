import type { ComponentChildren } from "preact";
import { NONCE_FIELD, newFormNonce } from "../http/csrf.ts";
import { useRender } from "./context.ts";

export type FormValues = Record<string, string | string[] | undefined>;
export type FormErrors = Record<string, string>;

export interface FormState {
  values: FormValues;
  errors: FormErrors;
}

export const emptyForm = (values: FormValues = {}): FormState => ({ values, errors: {} });

export function str(values: FormValues, name: string): string {
  const v = values[name];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
}

export function list(values: FormValues, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : v === undefined || v === "" ? [] : [v];
}

const fieldId = (name: string) => `field-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
const errorId = (name: string) => `${fieldId(name)}-error`;

/**
 * A POST form that carries the CSRF token. `once`: it also carries a fresh nonce, so the route
 * (with `oncePerSubmission`) answers a repeat of this submission without creating twice.
 */
export function PostForm(props: {
  action: string;
  children: ComponentChildren;
  class?: string;
  id?: string;
  "aria-label"?: string;
  once?: boolean;
}) {
  const { csrfToken } = useRender();
  const { children, once, ...rest } = props;
  return (
    <form method="post" {...rest}>
      <input type="hidden" name="_csrf" value={csrfToken} />
      {once ? <input type="hidden" name={NONCE_FIELD} value={newFormNonce()} /> : null}
      {children}
    </form>
  );
}

/**
 * A field people never see or fill (off-screen, hidden from assistive technology, out of the
 * tab order); robots that fill every field give themselves away. Routes opt in with
 * `honeypot: true`.
 */
export function Honeypot({
  form,
}: {
  /** Tells apart several guest forms on one page. */ form?: string;
}) {
  const id = form ? `field-website-${form}` : "field-website";
  return (
    <div class="honeypot" aria-hidden="true">
      <label for={id}>Leave this field empty</label>
      <input type="text" id={id} name="website" tabIndex={-1} autoComplete="off" />
    </div>
  );
}

/** Lists every error at the top of a form, each linking to its field. */
export function ErrorSummary({ errors }: { errors: FormErrors }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">
        {entries.length === 1 ? "There is a problem" : `There are ${entries.length} problems`} with
        what you entered; nothing was lost.
      </h2>
      <ul>
        {entries.map(([name, message]) => (
          <li key={name}>
            <a href={`#${fieldId(name)}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  name: string;
  label: string;
  form: FormState;
  hint?: string;
  required?: boolean;
}

/** A field's hint and its error, with the ids its input's aria-describedby points at. */
function HintAndError(props: FieldProps) {
  const error = props.form.errors[props.name];
  return (
    <>
      {props.hint ? (
        <p class="hint" id={`${fieldId(props.name)}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={errorId(props.name)}>
          {error}
        </p>
      ) : null}
    </>
  );
}

function FieldFrame(props: FieldProps & { children: ComponentChildren }) {
  const error = props.form.errors[props.name];
  return (
    <div class={error ? "field has-error" : "field"}>
      <label for={fieldId(props.name)}>
        {props.label}
        {props.required ? <span class="required"> (required)</span> : null}
      </label>
      <HintAndError {...props} />
      {props.children}
    </div>
  );
}

function describedBy(props: FieldProps): string | undefined {
  const ids = [];
  if (props.hint) ids.push(`${fieldId(props.name)}-hint`);
  if (props.form.errors[props.name]) ids.push(errorId(props.name));
  return ids.length ? ids.join(" ") : undefined;
}

export function TextInput(
  props: FieldProps & {
    type?: "text" | "email" | "password" | "number" | "search";
    maxLength?: number;
    autocomplete?: string;
    min?: number;
    max?: number;
    /** Tag type whose canonical tags site.js suggests while typing. */
    suggest?: "fandom" | "relationship" | "character" | "freeform";
  },
) {
  return (
    <FieldFrame {...props}>
      <input
        id={fieldId(props.name)}
        name={props.name}
        // Preact types each input type apart; all of ours accept these attributes.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        type={(props.type ?? "text") as "text"}
        value={props.type === "password" ? "" : str(props.form.values, props.name)}
        maxLength={props.maxLength}
        min={props.min}
        max={props.max}
        required={props.required}
        autocomplete={props.autocomplete}
        data-autocomplete={props.suggest}
        aria-invalid={props.form.errors[props.name] ? "true" : undefined}
        aria-describedby={describedBy(props)}
      />
    </FieldFrame>
  );
}

export function TextArea(props: FieldProps & { rows?: number; maxLength?: number }) {
  return (
    <FieldFrame {...props}>
      <textarea
        id={fieldId(props.name)}
        name={props.name}
        rows={props.rows ?? 6}
        maxLength={props.maxLength}
        required={props.required}
        aria-invalid={props.form.errors[props.name] ? "true" : undefined}
        aria-describedby={describedBy(props)}
      >
        {str(props.form.values, props.name)}
      </textarea>
    </FieldFrame>
  );
}

export function Select(
  props: FieldProps & { options: readonly { value: string; label: string }[] },
) {
  const selected = str(props.form.values, props.name);
  return (
    <FieldFrame {...props}>
      <select
        id={fieldId(props.name)}
        name={props.name}
        required={props.required}
        aria-invalid={props.form.errors[props.name] ? "true" : undefined}
        aria-describedby={describedBy(props)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === selected}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** A group of checkboxes (or radio buttons) sharing one name, in a fieldset with a legend. */
export function Choices(
  props: FieldProps & { options: readonly string[]; type?: "checkbox" | "radio" },
) {
  const error = props.form.errors[props.name];
  const chosen = new Set(list(props.form.values, props.name));
  return (
    <fieldset
      class={error ? "field choices has-error" : "field choices"}
      id={fieldId(props.name)}
      aria-describedby={describedBy(props)}
    >
      <legend>
        {props.label}
        {props.required ? <span class="required"> (required)</span> : null}
      </legend>
      <HintAndError {...props} />
      <ul>
        {props.options.map((option, i) => (
          <li key={option}>
            <input
              type={props.type ?? "checkbox"}
              id={`${fieldId(props.name)}-${i}`}
              name={props.name}
              value={option}
              checked={chosen.has(option)}
            />{" "}
            <label for={`${fieldId(props.name)}-${i}`}>{option}</label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/**
 * One choice among options whose values differ from their labels (`split`, `comment_policy`):
 * radio buttons in a fieldset, `fallback` chosen when the form holds none. Ids are
 * `field-NAME-VALUE`, so tests and labels can name an option by its value.
 */
export function RadioGroup(props: {
  name: string;
  legend: string;
  options: readonly { value: string; label: string }[];
  fallback: string;
  form: FormState;
}) {
  const chosen = str(props.form.values, props.name) || props.fallback;
  const error = props.form.errors[props.name];
  return (
    <fieldset class="field choices" id={`field-${props.name}`}>
      <legend>{props.legend}</legend>
      {error ? <p class="field-error">{error}</p> : null}
      <ul>
        {props.options.map((o) => (
          <li key={o.value}>
            <input
              type="radio"
              id={`field-${props.name}-${o.value}`}
              name={props.name}
              value={o.value}
              checked={chosen === o.value}
            />{" "}
            <label for={`field-${props.name}-${o.value}`}>{o.label}</label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

export function Checkbox(props: { name: string; label: string; form: FormState; hint?: string }) {
  const checked = ["1", "on", "true"].includes(str(props.form.values, props.name));
  return (
    <div class="field checkbox">
      <input
        type="checkbox"
        id={fieldId(props.name)}
        name={props.name}
        value="1"
        checked={checked}
      />{" "}
      <label for={fieldId(props.name)}>{props.label}</label>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
    </div>
  );
}
