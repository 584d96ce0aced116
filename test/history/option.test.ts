import { describe, expect, it } from "vitest";
import { HistoryOptionError, parseHistoryOption } from "../../src/history/option.js";

describe("parseHistoryOption", () => {
  it.each([
    ["off", { kind: "off" }],
    [" OFF ", { kind: "off" }],
    ["false", { kind: "off" }],
    ["", { kind: "branch", branch: "sam-fitness-history" }],
    ["branch", { kind: "branch", branch: "sam-fitness-history" }],
    ["branch:fitness/history", { kind: "branch", branch: "fitness/history" }],
    ["file:.fitness/history.json", { kind: "file", path: ".fitness/history.json" }],
    ["file: C:\\work\\h.json", { kind: "file", path: "C:\\work\\h.json" }],
  ])("reads %j", (value, expected) => {
    expect(parseHistoryOption(value)).toEqual(expected);
  });

  it.each([
    ["branch:", /does not name a usable branch \(it is empty\)/],
    ["branch:has space", /usable branch/],
    ["branch:a..b", /usable branch/],
    ["branch:refs.lock", /usable branch/],
    ["branch:-x", /usable branch/],
    ["file:", /needs a file path/],
    ["s3://bucket/key", /unknown value "s3:\/\/bucket\/key"; expected "off", "branch", "branch:<name>" or "file:<path>"/],
  ])("rejects %j with a message for the user", (value, message) => {
    expect(() => parseHistoryOption(value)).toThrow(HistoryOptionError);
    expect(() => parseHistoryOption(value)).toThrow(message);
  });
});
