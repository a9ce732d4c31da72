"""Bearer-token authentication: JWTs verified with PyJWT, scopes checked per operation."""
