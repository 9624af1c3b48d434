import { describe, expect, it } from "vitest";
import { csvCell, neutraliseCell, splitCsvRecord, toExcelCsv } from "../../src/settlement/csv";

describe("CSV", () => {
  it("splits quoted cells with commas, doubled quotes and line breaks", () => {
    expect(splitCsvRecord('a,"b,c","say ""hi""",')).toEqual(["a", "b,c", 'say "hi"', ""]);
    expect(splitCsvRecord('a,"open')).toBeNull();
    expect(splitCsvRecord('a,"line\nbreak"')).toEqual(["a", "line\nbreak"]);
  });

  it("neutralises formula-leading cells but keeps plain numbers", () => {
    for (const v of ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx"]) expect(neutraliseCell(v).startsWith("'")).toBe(true);
    expect(neutraliseCell("-12.50")).toBe("-12.50");
    expect(neutraliseCell("医院")).toBe("医院");
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it("writes a BOM and CRLF lines for Excel", () => {
    expect(toExcelCsv(["医院 Hospital"], [["H01"]])).toBe("\ufeff医院 Hospital\r\nH01\r\n");
  });
});
