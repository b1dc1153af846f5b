"""Contracts shared by the services: gRPC stubs (gen/), event schemas, AsyncAPI."""
