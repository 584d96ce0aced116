/**
 * The part of the SARIF 2.1.0 JSON schema (OASIS standard, sarif-schema-2.1.0)
 * that covers what renderSarif writes, transcribed from the specification:
 * required properties, enumerations, minimums, and the closed property sets
 * (`additionalProperties: false`) the full schema declares for these objects.
 * The full schema is not shipped by any installed package.
 */

const message = {
  type: "object",
  required: ["text"],
  properties: { text: { type: "string" }, markdown: { type: "string" }, properties: { type: "object" } },
  additionalProperties: false,
};

const reportingDescriptor = {
  type: "object",
  required: ["id"],
  properties: {
    id: { type: "string" },
    deprecatedIds: { type: "array" },
    guid: { type: "string" },
    name: { type: "string" },
    shortDescription: message,
    fullDescription: message,
    messageStrings: { type: "object" },
    defaultConfiguration: {
      type: "object",
      properties: {
        enabled: { type: "boolean" },
        level: { enum: ["none", "note", "warning", "error"] },
        rank: { type: "number", minimum: -1, maximum: 100 },
        parameters: { type: "object" },
        properties: { type: "object" },
      },
      additionalProperties: false,
    },
    helpUri: { type: "string" },
    help: message,
    relationships: { type: "array" },
    properties: { type: "object" },
  },
  additionalProperties: false,
};

const region = {
  type: "object",
  properties: {
    startLine: { type: "integer", minimum: 1 },
    startColumn: { type: "integer", minimum: 1 },
    endLine: { type: "integer", minimum: 1 },
    endColumn: { type: "integer", minimum: 1 },
    charOffset: { type: "integer", minimum: -1 },
    charLength: { type: "integer", minimum: 0 },
    snippet: { type: "object" },
    message: { type: "object" },
    properties: { type: "object" },
  },
  additionalProperties: false,
};

const location = {
  type: "object",
  properties: {
    id: { type: "integer", minimum: -1 },
    physicalLocation: {
      type: "object",
      properties: {
        artifactLocation: {
          type: "object",
          properties: {
            // A URI reference: no spaces or backslashes, no scheme-less absolute Windows paths.
            uri: { type: "string", pattern: "^[^\\s\\\\]*$" },
            uriBaseId: { type: "string" },
            index: { type: "integer", minimum: -1 },
            description: message,
            properties: { type: "object" },
          },
          additionalProperties: false,
        },
        region,
        contextRegion: region,
        properties: { type: "object" },
      },
      additionalProperties: false,
    },
    logicalLocations: {
      type: "array",
      items: {
        type: "object",
        properties: {
          name: { type: "string" },
          index: { type: "integer", minimum: -1 },
          fullyQualifiedName: { type: "string" },
          decoratedName: { type: "string" },
          parentIndex: { type: "integer", minimum: -1 },
          kind: { type: "string" },
          properties: { type: "object" },
        },
        additionalProperties: false,
      },
    },
    message,
    properties: { type: "object" },
  },
  additionalProperties: false,
};

const result = {
  type: "object",
  required: ["message"],
  properties: {
    ruleId: { type: "string" },
    ruleIndex: { type: "integer", minimum: -1 },
    kind: { enum: ["notApplicable", "pass", "fail", "review", "open", "informational"] },
    level: { enum: ["none", "note", "warning", "error"] },
    message,
    locations: { type: "array", items: location },
    guid: { type: "string" },
    partialFingerprints: { type: "object", additionalProperties: { type: "string" } },
    fingerprints: { type: "object", additionalProperties: { type: "string" } },
    baselineState: { enum: ["new", "unchanged", "updated", "absent"] },
    rank: { type: "number", minimum: -1, maximum: 100 },
    properties: { type: "object" },
  },
  additionalProperties: false,
};

export const SARIF_SUBSET_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  required: ["version", "runs"],
  properties: {
    $schema: { type: "string" },
    version: { const: "2.1.0" },
    runs: {
      type: "array",
      items: {
        type: "object",
        required: ["tool"],
        properties: {
          tool: {
            type: "object",
            required: ["driver"],
            properties: {
              driver: {
                type: "object",
                required: ["name"],
                properties: {
                  name: { type: "string" },
                  version: { type: "string" },
                  semanticVersion: { type: "string" },
                  informationUri: { type: "string" },
                  rules: { type: "array", items: reportingDescriptor },
                  properties: { type: "object" },
                },
                additionalProperties: false,
              },
              extensions: { type: "array" },
              properties: { type: "object" },
            },
            additionalProperties: false,
          },
          results: { type: "array", items: result },
          properties: { type: "object" },
        },
      },
    },
    properties: { type: "object" },
  },
  additionalProperties: false,
} as const;
