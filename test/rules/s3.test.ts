import { describe, expect, it } from "vitest";
import { s3BucketLoggingEnabled } from "../../rules/s3-bucket-logging-enabled.js";
import { s3BucketPublicReadProhibited } from "../../rules/s3-bucket-public-read-prohibited.js";
import { s3BucketPublicWriteProhibited } from "../../rules/s3-bucket-public-write-prohibited.js";
import { s3BucketReplicationEnabled } from "../../rules/s3-bucket-replication-enabled.js";
import { s3BucketServerSideEncryptionEnabled } from "../../rules/s3-bucket-server-side-encryption-enabled.js";
import { s3BucketSslRequestsOnly } from "../../rules/s3-bucket-ssl-requests-only.js";
import { s3BucketVersioningEnabled } from "../../rules/s3-bucket-versioning-enabled.js";
import { corpusContext, byResource, judge, SAM, scoreOf } from "./helpers.js";

const BUCKETS = `${SAM}Parameters:
  UseKms: { Type: String, AllowedValues: ["yes", "no"] }
  Algo: { Type: String, Default: AES256 }
Conditions:
  Kms: !Equals [!Ref UseKms, "yes"]
Resources:
  Plain:
    Type: AWS::S3::Bucket
  Encrypted:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: { SSEAlgorithm: AES256 }
      VersioningConfiguration: { Status: Enabled }
      LoggingConfiguration: { DestinationBucketName: !Ref Plain }
      ReplicationConfiguration:
        Role: arn:aws:iam::123456789012:role/r
        Rules: [{ Status: Enabled, Destination: { Bucket: arn:aws:s3:::copy } }]
  Maybe:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption: !If
        - Kms
        - ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: aws:kms } }]
        - !Ref AWS::NoValue
      VersioningConfiguration: { Status: Suspended }
  FromParam:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: !Ref Algo } }]
`;

describe("s3 bucket rules", () => {
  it("encryption: declared passes, missing fails on the resource line, !If gets half credit, !Ref Param judges its Default", () => {
    const f = judge(s3BucketServerSideEncryptionEnabled, BUCKETS);
    expect(scoreOf(f, "Encrypted")).toBe(1);
    expect(scoreOf(f, "Plain")).toBe(0);
    expect(f.get("Plain")?.line).toBe(8);
    expect(f.get("Plain")?.fix).toMatch(/BucketEncryption/);
    expect(scoreOf(f, "Maybe")).toBe(0.5);
    expect(scoreOf(f, "FromParam")).toBe(1);
  });

  it("versioning, logging and replication pass only when enabled, and point at the property at fault", () => {
    const v = judge(s3BucketVersioningEnabled, BUCKETS);
    expect(scoreOf(v, "Encrypted")).toBe(1);
    expect(scoreOf(v, "Maybe")).toBe(0);
    expect(v.get("Maybe")?.line).toBe(28); // the VersioningConfiguration: { Status: Suspended } line
    expect(scoreOf(judge(s3BucketLoggingEnabled, BUCKETS), "Encrypted")).toBe(1);
    expect(scoreOf(judge(s3BucketLoggingEnabled, BUCKETS), "Plain")).toBe(0);
    expect(scoreOf(judge(s3BucketReplicationEnabled, BUCKETS), "Encrypted")).toBe(1);
    expect(scoreOf(judge(s3BucketReplicationEnabled, BUCKETS), "Plain")).toBe(0);
  });

  const POLICIES = `Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties: { AccessControl: PublicRead }
  Drop:
    Type: AWS::S3::Bucket
  DropPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Drop
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: ["s3:PutObject"]
            Resource: !Sub "\${Drop.Arn}/*"
          - Effect: Deny
            Principal: { AWS: "*" }
            Action: "s3:*"
            Resource: !Sub "\${Drop.Arn}/*"
            Condition: { Bool: { "aws:SecureTransport": "false" } }
  Private:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }
`;

  it("public read/write: public ACLs and open policies fail, public access block neutralises them", () => {
    const read = judge(s3BucketPublicReadProhibited, POLICIES);
    const write = judge(s3BucketPublicWriteProhibited, POLICIES);
    expect(scoreOf(read, "Site")).toBe(0);
    expect(read.get("Site")?.line).toBe(4);
    expect(scoreOf(write, "Site")).toBe(1);
    expect(scoreOf(read, "Drop")).toBe(1);
    expect(scoreOf(write, "Drop")).toBe(0);
    expect(write.get("Drop")?.line).toBe(14); // the Principal of the open statement
    expect(scoreOf(read, "Private")).toBe(1);
  });

  it("ssl-requests-only: a Deny on aws:SecureTransport false passes, none fails", () => {
    const f = judge(s3BucketSslRequestsOnly, POLICIES);
    expect(scoreOf(f, "Drop")).toBe(1);
    expect(scoreOf(f, "Site")).toBe(0);
  });

  it("judges the seed's buckets: encrypted passes, unencrypted fails", () => {
    const f = byResource(s3BucketServerSideEncryptionEnabled.evaluate(corpusContext("seed/evolutionary-template.yaml")));
    expect(scoreOf(f, "encryptedBucket")).toBe(1);
    expect(scoreOf(f, "unencryptedBucket")).toBe(0);
  });

  it("ignores malformed properties instead of throwing", () => {
    const f = judge(s3BucketServerSideEncryptionEnabled, `Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption: "yes"\n  C:\n    Type: AWS::S3::Bucket\n    Properties: null\n`);
    expect(scoreOf(f, "B")).toBe(0);
    expect(scoreOf(f, "C")).toBe(0);
  });
});
