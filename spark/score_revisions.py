#!/usr/bin/env python3
"""Score revision documents on Apache Spark with the native revscoring engine (score-cli).

Each partition is piped through one `score-cli batch` process (model loaded once per
process, documents in on stdin, one JSON result per document out, in order), and the
results are written as Parquet:

    rev_id long, model string, prediction string, probability_true double, error string
    [, features array<double>]   (with --features)

Local run (what the project's test does):

    spark/score_revisions.py --master 'local[2]' --input docs.jsonl --output scores.parquet \
        --binary .build/release/score-cli --model-file enwiki.goodfaith.gradient_boosting.model

On a cluster, ship the binary and the model with the job and name them by file name; every
executor finds them in its working directory (SparkFiles):

    spark-submit --master yarn --files score-cli,enwiki.goodfaith.gradient_boosting.model \
        spark/score_revisions.py --input hdfs:///revisions/ --input-format parquet \
        --output hdfs:///scores/ --binary score-cli --model-file enwiki.goodfaith.gradient_boosting.model

The binary needs the runtime libraries of the machine it was built for on every executor
(libopenblas0, libhunspell-1.7-0 and the hunspell-en-us/-gb/-au dictionaries): build it on
(or for) the executors' OS image, or run the executors in the project's container
(deploy/Dockerfile).
"""
import argparse
import json
import os
import subprocess
import threading

from pyspark import SparkFiles
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

COLUMNS = ["rev_id", "parent_id", "page_id", "page_title", "namespace", "timestamp", "comment", "user_id",
           "user_text", "user_groups", "user_registration", "text", "parent_text"]


def resolve(path):
    """A file shipped with --files is found by its name on executors; a local path as is."""
    if os.path.isabs(path) or os.path.exists(path):
        return os.path.abspath(path)
    return SparkFiles.get(path)


def pipe_partition(lines, binary, model_file, model_name, with_features):
    """Runs one score-cli batch over a partition's documents; yields output rows in order."""
    command = [resolve(binary), "batch", "--model-file", resolve(model_file)]
    if with_features:
        command.append("--features")
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)

    def feed():
        # A writer thread, as RDD.pipe has one: the child's output is read meanwhile, so
        # neither side blocks on a full pipe.
        try:
            for line in lines:
                process.stdin.write(line.encode("utf-8") + b"\n")
        finally:
            process.stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    for raw in process.stdout:
        result = json.loads(raw)
        score = result.get("score") or {}
        probability = score.get("probability") or {}
        prediction = score.get("prediction")
        row = [result.get("rev_id"), model_name,
               None if prediction is None else json.dumps(prediction).strip('"'),
               probability.get("true"), result.get("error")]
        if with_features:
            row.append([float(v) for v in result["features"]] if "features" in result else None)
        yield row
    writer.join()
    if process.wait() != 0:
        raise RuntimeError("score-cli exited with status {0}".format(process.returncode))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--input", required=True, help="revision documents (JSON lines or Parquet)")
    p.add_argument("--input-format", choices=["jsonl", "parquet"], default="jsonl")
    p.add_argument("--output", required=True, help="Parquet output path")
    p.add_argument("--binary", required=True, help="score-cli (path, or file name shipped with --files)")
    p.add_argument("--model-file", required=True, help="revscoring model file (path, or shipped name)")
    p.add_argument("--model-name", help="model column value (default: from the file name, e.g. goodfaith)")
    p.add_argument("--features", action="store_true", help="also write the model's feature values")
    p.add_argument("--partitions", type=int, default=0, help="repartition the input first (0: keep)")
    p.add_argument("--master", help="Spark master (default: spark-submit's)")
    args = p.parse_args(argv)

    # Timestamp columns are rendered in UTC (below), whatever the cluster's zone.
    builder = SparkSession.builder.appName("revscoring-swift score_revisions") \
        .config("spark.sql.session.timeZone", "UTC")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    model_name = args.model_name or (os.path.basename(args.model_file).split(".") + ["model"])[1]

    if args.input_format == "jsonl":
        documents = spark.read.text(args.input).rdd.map(lambda r: r.value).filter(lambda s: s.strip())
    else:
        frame = spark.read.parquet(args.input)
        frame = frame.select([c for c in COLUMNS if c in frame.columns])
        # Parquet writers often store the timestamps as timestamps: render them as the
        # MediaWiki timestamps the documents have (2016-05-02T10:15:00Z).
        for field in frame.schema.fields:
            if isinstance(field.dataType, (T.TimestampType, T.TimestampNTZType)):
                frame = frame.withColumn(field.name, F.date_format(field.name, "yyyy-MM-dd'T'HH:mm:ss'Z'"))
        documents = frame.toJSON()
    if args.partitions > 0:
        documents = documents.repartition(args.partitions)

    binary, model_file, features = args.binary, args.model_file, args.features
    rows = documents.mapPartitions(lambda it: pipe_partition(it, binary, model_file, model_name, features))
    fields = [T.StructField("rev_id", T.LongType()), T.StructField("model", T.StringType()),
              T.StructField("prediction", T.StringType()), T.StructField("probability_true", T.DoubleType()),
              T.StructField("error", T.StringType())]
    if features:
        fields.append(T.StructField("features", T.ArrayType(T.DoubleType())))
    spark.createDataFrame(rows, T.StructType(fields)).write.mode("overwrite").parquet(args.output)
    spark.stop()


if __name__ == "__main__":
    main()
