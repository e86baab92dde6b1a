# The front: the SPA built by Vite, served by nginx with the repository's config, which
# also proxies /api to the API containers.
#   docker build -f docker/frontend.Dockerfile -t milestones-web .
FROM node:20-bookworm-slim AS build
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend/ ./
RUN npm run build

FROM nginx:1.27-alpine
# The official image renders /etc/nginx/templates/*.template into /etc/nginx/conf.d/ with
# envsubst at start; the filter keeps nginx's own $variables untouched.
ENV NGINX_LISTEN=80 \
    API_UPSTREAM=api:8000 \
    SPA_ROOT=/usr/share/nginx/html \
    MAX_UPLOAD_MB=25 \
    NGINX_ENVSUBST_FILTER="^(NGINX_LISTEN|API_UPSTREAM|SPA_ROOT|CLIENT_MAX_BODY_SIZE)\$"
RUN rm -f /etc/nginx/conf.d/default.conf
COPY nginx/templates/default.conf.template /etc/nginx/templates/default.conf.template
COPY docker/nginx/15-upload-limit.envsh /docker-entrypoint.d/15-upload-limit.envsh
# The entrypoint sources *.envsh files only when they are executable.
RUN chmod 0755 /docker-entrypoint.d/15-upload-limit.envsh
COPY --from=build /src/frontend/dist /usr/share/nginx/html
EXPOSE 80
