import { DateTimeInput } from "./DateTimeInput";

type TimeRangeFieldsProps = {
  /** ids and test ids: `${idPrefix}-from`, `${idPrefix}-to` */
  idPrefix: string;
  from: string;
  to: string;
  onChange: (key: "from" | "to", value: string) => void;
  /** the id of the TimeZoneHint that says which zone the times are in */
  zoneHintId: string;
  /** a form's field ("field") or a filter bar's ("filter") */
  look: "field" | "filter";
};

/** From and To of a time range typed in the console's one format, in the zone its hint names. */
export function TimeRangeFields({ idPrefix, from, to, onChange, zoneHintId, look }: TimeRangeFieldsProps) {
  const fields = [
    ["from", "From", from],
    ["to", "To", to],
  ] as const;
  return fields.map(([key, label, value]) => (
    <div className={look} key={key}>
      <label className={`${look}-label`} htmlFor={`${idPrefix}-${key}`}>
        {label}
      </label>
      <DateTimeInput
        id={`${idPrefix}-${key}`}
        placeholder="2026-11-25 13:45"
        aria-describedby={zoneHintId}
        value={value}
        onChange={(e) => onChange(key, e.target.value)}
        data-testid={`${idPrefix}-${key}`}
      />
    </div>
  ));
}
