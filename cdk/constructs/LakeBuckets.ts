import { Duration, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { LakePrefix } from '../constants.js';

/** Days S3 server access logs are kept. */
export const ACCESS_LOG_RETENTION_DAYS = 365;

/** Days Athena query results are kept. */
export const ATHENA_RESULT_RETENTION_DAYS = 30;

/** Days an old version of a landed file is kept after it is overwritten. */
export const LANDING_NONCURRENT_RETENTION_DAYS = 30;

/** Days before an unfinished multipart upload is cleaned away. */
const INCOMPLETE_UPLOAD_DAYS = 7;

// What every created bucket shares: SSE-S3, no public access, TLS only,
// no ACLs.
const SECURE_BUCKET: s3.BucketProps = {
  encryption: s3.BucketEncryption.S3_MANAGED,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
};

/** What the buckets need from the deployment's settings. */
export interface LakeBucketsProps {
  /** An existing landing bucket to import; unset creates one. */
  readonly landingBucketName: string | undefined;
  /** Days before `dirty/` and `errors/` objects expire. */
  readonly dirtyRetentionDays: number;
}

/**
 * The pipeline's buckets: landing (created or imported), lake (clean,
 * dirty, errors and Athena results) and the access-log bucket both log to.
 * Each created bucket is encrypted with S3-managed keys, blocks public
 * access, refuses plain HTTP and is kept when the stack is deleted.
 */
export class LakeBuckets extends Construct {
  /** Where dvault files land; the producer reads it. */
  readonly landing: s3.IBucket;
  /** Where clean Parquet, dirty JSON lines and errors are written. */
  readonly lake: s3.Bucket;
  /** Server access logs of the other buckets. */
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: LakeBucketsProps) {
    super(scope, id);
    this.accessLogs = this.accessLogBucket();
    this.landing =
      props.landingBucketName === undefined
        ? this.landingBucket()
        : s3.Bucket.fromBucketName(this, 'Landing', props.landingBucketName);
    this.lake = this.lakeBucket(props.dirtyRetentionDays);
  }

  private accessLogBucket(): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogs', {
      ...SECURE_BUCKET,
      lifecycleRules: [
        { expiration: Duration.days(ACCESS_LOG_RETENTION_DAYS) },
      ],
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the access logs of the other buckets; logging it into itself would loop.',
    });
    return bucket;
  }

  private landingBucket(): s3.Bucket {
    return new s3.Bucket(this, 'Landing', {
      ...SECURE_BUCKET,
      // Landed files are the source of truth: an overwrite keeps the old
      // version for a while, and the producer records the version it read.
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'landing/',
      lifecycleRules: [
        {
          noncurrentVersionExpiration: Duration.days(
            LANDING_NONCURRENT_RETENTION_DAYS,
          ),
          abortIncompleteMultipartUploadAfter: Duration.days(
            INCOMPLETE_UPLOAD_DAYS,
          ),
        },
      ],
    });
  }

  private lakeBucket(dirtyRetentionDays: number): s3.Bucket {
    const expire = (prefix: LakePrefix, days: number): s3.LifecycleRule => ({
      id: `expire-${prefix.slice(0, -1)}`,
      prefix,
      expiration: Duration.days(days),
    });
    // Not versioned: everything here is derived from the landing bucket and
    // can be rebuilt by replay; dirty objects are rewritten in place on
    // retries by design, and old versions would only cost storage.
    return new s3.Bucket(this, 'Lake', {
      ...SECURE_BUCKET,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'lake/',
      lifecycleRules: [
        expire(LakePrefix.Dirty, dirtyRetentionDays),
        expire(LakePrefix.Errors, dirtyRetentionDays),
        expire(LakePrefix.AthenaResults, ATHENA_RESULT_RETENTION_DAYS),
        {
          id: 'abort-incomplete-uploads',
          abortIncompleteMultipartUploadAfter: Duration.days(
            INCOMPLETE_UPLOAD_DAYS,
          ),
        },
      ],
    });
  }
}
