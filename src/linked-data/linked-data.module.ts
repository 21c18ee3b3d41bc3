import { FabricModule } from '../fabric/fabric.module';
import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { CatalogModule } from '../catalog/catalog.module';
import { ProductsModule } from '../products/products.module';
import { CatalogPageService } from './catalog/catalog-page.service';
import { CatalogController } from './catalog/catalog.controller';
import { ContextController } from './context.controller';
import { DataProductsController } from './data-products.controller';
import { DatasetRecordsLoader } from './dataset-records.loader';
import { HomeController } from './home.controller';
import { RepresentationWriter } from './http/representation-writer.service';
import { IdentifierResolutionService } from './identifier-resolution.service';
import { IdentifierController } from './identifier.controller';
import { BundledContexts } from './json-ld/bundled-contexts.service';
import { RdfSerializer } from './json-ld/rdf-serializer.service';
import { LinkedDataSite } from './linked-data-site.service';
import { OaiPmhController } from './oai-pmh/oai-pmh.controller';
import { OaiPmhService } from './oai-pmh/oai-pmh.service';
import { OaiRecordsRepository } from './oai-pmh/oai-records.repository';
import { SitemapController } from './sitemap/sitemap.controller';
import { SitemapService } from './sitemap/sitemap.service';

/**
 * Linked data for people and machines: the identifier resolver with
 * content negotiation, landing pages, the paged DCAT catalog, the home page
 * search, and the bundled JSON-LD contexts.
 */
@Module({
  imports: [AuthModule, CatalogModule, FabricModule, ProductsModule],
  controllers: [
    IdentifierController,
    CatalogController,
    HomeController,
    ContextController,
    OaiPmhController,
    SitemapController,
    DataProductsController,
  ],
  providers: [
    BundledContexts,
    RdfSerializer,
    LinkedDataSite,
    DatasetRecordsLoader,
    IdentifierResolutionService,
    CatalogPageService,
    RepresentationWriter,
    OaiRecordsRepository,
    OaiPmhService,
    SitemapService,
  ],
  exports: [
    BundledContexts,
    RdfSerializer,
    LinkedDataSite,
    DatasetRecordsLoader,
    IdentifierResolutionService,
  ],
})
export class LinkedDataModule {}
