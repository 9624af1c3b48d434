// TEMPORARY stub until the payment branch lands.
import { z } from "zod";
export const regionYearParametersSchema = z.object({ year: z.number().int() }).strict();
export function defaultParameters({ year }: { year: number }) { return { year }; }
