-- Run once by the postgres image on an empty data volume (docker-compose.yml).
-- One database per service; each service's Alembic history creates its own tables.
CREATE DATABASE registry;
CREATE DATABASE assessment;
CREATE DATABASE quality;
CREATE DATABASE gateway;
