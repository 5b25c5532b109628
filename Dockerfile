# One image for the API and the worker (the command differs), and a stage that builds the SPA. Node 22 (LTS);
# the code also runs on Node 20.19+ and 24 (package.json engines).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# ffmpeg/ffprobe for the studio (compositions, media metadata), with libass and a font for burned subtitles;
# without them the npm static build is used, which has no xfade (transitions become cuts).
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg fonts-dejavu-core \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm install --no-save tsconfig-paths@4
COPY --from=build /app/dist ./dist
COPY --from=build /app/scripts/register-paths.js ./scripts/register-paths.js
COPY --from=build /app/tsconfig.json ./tsconfig.json
USER node
EXPOSE 3000
# The default young generation: 2 MB semi-spaces cut the list routes' throughput by a fifth (bench/README.md).
CMD ["node", "-r", "./scripts/register-paths.js", "dist/apps/api/src/main.js"]

FROM nginx:1.27-alpine AS web
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /app/apps/web/dist /usr/share/nginx/html
EXPOSE 80
