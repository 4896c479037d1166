#!/usr/bin/env python3
"""The peer for the end-to-end benchmark (issue #7, part 4): a KServe model server that scores
revscoring models the way Lift Wing's `revscoring_model/model_servers/model_servers.py` does
(kserve 0.13.1 and revscoring 2.11.13 from PyPI, as Lift Wing pins them):

- preprocess: validate the JSON dict and rev_id; three MediaWiki API calls with
  mwapi.AsyncSession over one aiohttp session (revision; then parent revision and user
  together, asyncio.gather), their documents put in a revscoring MWAPICache, then
  revscoring's api.Extractor.extract(rev_id, model.features) on the event loop;
- predict: model.score(feature_values), answered in Lift Wing's response shape.

Written for this benchmark from Lift Wing's published behaviour (not a copy of its code): no
EventGate, no extended_output, no process pool (Lift Wing's default for editquality is this
single-process server). Run with the reference environment (enchant forced to Hunspell):

    REFERENCE_VENV=.venv-kserve ../shared/reference/run.sh bench/peer_liftwing_server.py \\
        --model-file MODEL --wiki-url http://127.0.0.1:PORT --port 8081
"""
import argparse
import asyncio
import contextvars
import logging
import time

import aiohttp
import kserve
import mwapi
from kserve.errors import InvalidInput
from revscoring import Model
from revscoring.errors import MissingResource
from revscoring.extractors.api import Extractor, MWAPICache

USER_AGENT = "revscoring-swift bench (Lift Wing peer)"
# This request's MediaWiki API time (ms), for the Server-Timing header (ServerTiming).
TIMING = contextvars.ContextVar("timing", default=None)


class ServerTiming:
    """ASGI middleware adding the header `score-cli serve` sends, `Server-Timing: mwapi;dur=…,
    total;dur=…` (milliseconds): the whole request in the app, and the part of it spent in
    fetch_cache (the three API calls and reading their answers). bench/server.sh reports total −
    mwapi, the time the server adds to its API calls, for both servers. Not part of Lift Wing's
    server; measurement only."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        timing = {"mwapi": 0.0}
        token = TIMING.set(timing)
        start = time.perf_counter()

        async def timed_send(message):
            if message["type"] == "http.response.start":
                total = (time.perf_counter() - start) * 1e3
                value = "mwapi;dur=%.3f, total;dur=%.3f" % (timing["mwapi"], total)
                message = dict(message, headers=list(message.get("headers", [])) + [(b"server-timing", value.encode())])
            await send(message)
        try:
            await self.app(scope, receive, timed_send)
        finally:
            TIMING.reset(token)
RVPROP = {"content", "userid", "size", "contentmodel", "ids", "user", "comment", "timestamp"}


class RevscoringModel(kserve.Model):
    def __init__(self, name, model_file, api_url, timeout):
        super().__init__(name)
        self.api_url = api_url
        self.timeout = timeout
        with open(model_file) as f:
            self.model = Model.load(f)
        self.session = None
        self.ready = True

    def http_session(self):
        if self.session is None or self.session.closed:
            self.session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout), raise_for_status=True)
        return self.session

    async def fetch_cache(self, rev_id):
        start = time.perf_counter()
        try:
            return await self._fetch_cache(rev_id)
        finally:
            timing = TIMING.get()
            if timing is not None:
                timing["mwapi"] += (time.perf_counter() - start) * 1e3

    async def _fetch_cache(self, rev_id):
        session = mwapi.AsyncSession(self.api_url, user_agent=USER_AGENT, session=self.http_session())
        doc = await session.get(action="query", prop="revisions", revids=[rev_id], rvslots="main", rvprop=RVPROP)
        if "badrevids" in doc.get("query", {}):
            raise InvalidInput(f"The MW API does not have any info related to the rev-id provided as input ({rev_id})")
        revision = list(doc["query"]["pages"].values())[0]["revisions"][0]
        parent_id, user = revision.get("parentid"), revision.get("user")
        parent_doc, user_doc = await asyncio.gather(
            session.get(action="query", prop="revisions", revids=[parent_id], rvslots="main", rvprop=RVPROP),
            session.get(action="query", list="users", ususers=[user],
                        usprop={"groups", "registration", "editcount", "gender"}),
        )
        cache = MWAPICache()
        cache.add_revisions_batch_doc([rev_id], doc)
        cache.add_revisions_batch_doc([parent_id], parent_doc)
        cache.add_users_batch_doc([user], user_doc)
        return cache

    async def preprocess(self, inputs, headers=None):
        if not isinstance(inputs, dict):
            raise InvalidInput("Please verify that request input is a json dict")
        rev_id = inputs.get("rev_id")
        if not isinstance(rev_id, int):
            raise InvalidInput('Expected "rev_id" to be an integer.')
        cache = await self.fetch_cache(rev_id)
        extractor = Extractor(mwapi.Session(self.api_url, user_agent=USER_AGENT), http_cache=cache)
        try:
            inputs["feature_values"] = list(extractor.extract(rev_id, self.model.features))
        except MissingResource as e:
            raise InvalidInput(f"Missing resource for rev-id {rev_id}: {e}")
        return inputs

    async def predict(self, request, headers=None):
        wiki, model_name = self.name.split("-")
        score = self.model.score(request["feature_values"])
        return {wiki: {"models": {model_name: {"version": self.model.version}},
                       "scores": {request["rev_id"]: {model_name: {"score": score}}}}}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-file", required=True)
    parser.add_argument("--wiki-url", required=True, help="the wiki's base URL (WIKI_URL); mwapi adds /w/api.php")
    parser.add_argument("--name", default="enwiki-goodfaith")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--timeout", type=float, default=5.0)
    args = parser.parse_args()
    logging.getLogger().setLevel(logging.WARNING)
    model = RevscoringModel(args.name, args.model_file, args.wiki_url, args.timeout)
    from kserve.protocol.rest.server import RESTServer
    create_application = RESTServer.create_application

    def with_server_timing(self):
        app = create_application(self)
        app.add_middleware(ServerTiming)
        return app
    RESTServer.create_application = with_server_timing
    kserve.ModelServer(http_port=args.port, workers=1, enable_docs_url=False).start([model])


if __name__ == "__main__":
    main()
